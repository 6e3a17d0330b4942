package org.tcpsplice.onos.api;

import java.util.Map;

/**
 * Where the splices live in an ONOS cluster: client key to the splice's state in
 * {@link org.tcpsplice.core.map.SpliceText} form, shared by every instance.
 */
public interface SpliceStore {
    void put(String clientKey, String splice);

    void remove(String clientKey);

    /** Every splice: client key to state. */
    Map<String, String> all();
}
