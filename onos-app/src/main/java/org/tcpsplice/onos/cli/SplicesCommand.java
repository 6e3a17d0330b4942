package org.tcpsplice.onos.cli;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.onos.impl.SpliceManager;

/** {@code tcpsplice-splices}: lists the live splices. */
@Service
@Command(scope = "onos", name = "tcpsplice-splices", description = "Lists the live TCP splices")
public class SplicesCommand extends AbstractShellCommand {
    @Override
    protected void doExecute() {
        SpliceManager manager = get(SpliceManager.class);
        for (FourTuple key : manager.splices()) {
            String text = manager.spliceText(key);
            if (text != null) {
                print("%s", SpliceListing.summary(key, text));
            }
        }
    }
}
