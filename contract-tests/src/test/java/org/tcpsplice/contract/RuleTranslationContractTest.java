package org.tcpsplice.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.onosproject.core.DefaultApplicationId;
import org.onosproject.net.DeviceId;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.tcpsplice.controller.openflow.FlowMods;
import org.tcpsplice.core.rules.RuleCompiler;
import org.tcpsplice.core.rules.SwitchRule;
import org.tcpsplice.core.testing.Figure2;
import org.tcpsplice.onos.impl.FlowRules;

/**
 * The two controllers install the same switch rules for the same splice: the standalone one as OpenFlow
 * flow-mods, the ONOS app as FlowRules, each translated independently from splice-core's abstract rules.
 * Both are reduced to one text form (priority, match fields, output) and must agree rule for rule.
 */
class RuleTranslationContractTest {
    private static final OFFactory OF = OFFactories.getFactory(OFVersion.OF_13);

    @Test
    void bothControllersInstallTheSameRulesForTheFigure2Splice() {
        List<SwitchRule> rules = RuleCompiler.compile(Figure2.afterBothHandoffs().tables, Figure2.CLIENT_KEY);
        Set<String> standalone = new TreeSet<>();
        Set<String> onosApp = new TreeSet<>();
        for (SwitchRule r : rules) {
            standalone.add(RuleText.of(FlowMods.add(OF, r, 1)));
            onosApp.add(RuleText.of(FlowRules.of(r, DeviceId.deviceId("of:0000000000000001"),
                    new DefaultApplicationId(1, "org.tcpsplice.app"))));
        }
        assertEquals(rules.size(), standalone.size(), "one flow per rule");
        assertEquals(standalone, onosApp, "the same rules, field by field");
    }
}
