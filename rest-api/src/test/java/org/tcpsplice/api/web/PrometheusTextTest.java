package org.tcpsplice.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void countersGaugesAndTheFastPathsModeInTheTextFormat() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("switch_connected", true);
        m.put("splices", 2);
        m.put("fast_path", "xdp \"map\"");
        m.put("handoffs_applied", 7L);
        assertEquals("# TYPE tcpsplice_switch_connected gauge\ntcpsplice_switch_connected 1\n"
                + "# TYPE tcpsplice_splices gauge\ntcpsplice_splices 2\n"
                + "# TYPE tcpsplice_fast_path_info gauge\ntcpsplice_fast_path_info{mode=\"xdp \\\"map\\\"\"} 1\n"
                + "# TYPE tcpsplice_handoffs_applied_total counter\ntcpsplice_handoffs_applied_total 7\n",
                PrometheusText.of(m));
    }
}
