package org.tcpsplice.onos.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;
import org.tcpsplice.onos.api.TcpSpliceService;

/** {@code tcpsplice-remove ID}: ends a splice and removes its flow rules and store entry. */
@Service
@Command(scope = "onos", name = "tcpsplice-remove", description = "Removes a TCP splice and its flow rules")
public class SpliceRemoveCommand extends AbstractShellCommand {
    @Argument(index = 0, name = "id", description = "client-ip:port-service-ip:port", required = true)
    String id;

    @Override
    protected void doExecute() {
        if (get(TcpSpliceService.class).removeSplice(SpliceListing.parseId(id))) {
            print("removed %s", id);
        } else {
            error("no splice %s", id);
        }
    }
}
