package org.tcpsplice.onos.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;
import org.tcpsplice.onos.api.TcpSpliceService;

/** {@code tcpsplice-splice ID}: one splice's level-1 keys and level-2 entries. */
@Service
@Command(scope = "onos", name = "tcpsplice-splice", description = "Shows one TCP splice's mapping entries")
public class SpliceShowCommand extends AbstractShellCommand {
    @Argument(index = 0, name = "id", description = "client-ip:port-service-ip:port", required = true)
    String id;

    @Override
    protected void doExecute() {
        String text = get(TcpSpliceService.class).spliceText(SpliceListing.parseId(id));
        if (text == null) {
            error("no splice %s", id);
            return;
        }
        SpliceListing.details(text).forEach(line -> print("%s", line));
    }
}
