package org.tcpsplice.onos.api;

import java.util.List;
import org.tcpsplice.api.AsyncSpliceService;
import org.tcpsplice.core.net.FourTuple;

/**
 * The tcpsplice app's service, for its REST resources and CLI commands (and other apps): the handoff
 * API the standalone controller serves, plus what ONOS's side needs.
 */
public interface TcpSpliceService extends AsyncSpliceService {
    /** Whether an ONOS user of this name is a configured node (nodes may hand off). */
    boolean isNode(String userName);

    /** The live splices' client keys. */
    List<FourTuple> clientKeys();

    /** The splice's entries in SpliceText form, or null if there is none. */
    String spliceText(FourTuple clientKey);
}
