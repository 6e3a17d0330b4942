package org.tcpsplice.onos.cli;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.onos.api.TcpSpliceService;

/** {@code tcpsplice-splices}: lists the live splices. */
@Service
@Command(scope = "onos", name = "tcpsplice-splices", description = "Lists the live TCP splices")
public class SplicesCommand extends AbstractShellCommand {
    @Override
    protected void doExecute() {
        TcpSpliceService service = get(TcpSpliceService.class);
        for (FourTuple key : service.clientKeys()) {
            String text = service.spliceText(key);
            if (text != null) {
                print("%s", SpliceListing.summary(key, text));
            }
        }
    }
}
