package org.tcpsplice.onos.cli;

import java.util.ArrayList;
import java.util.List;
import org.tcpsplice.api.ApiException;
import org.tcpsplice.api.SpliceIds;
import org.tcpsplice.core.map.EntryText;
import org.tcpsplice.core.net.FourTuple;

/** What the CLI prints, kept apart from Karaf so that it is testable without a shell. */
public final class SpliceListing {
    private SpliceListing() {
    }

    /** A splice id as the REST API writes it (client-ip:port-service-ip:port), parsed as the API parses it. */
    public static FourTuple parseId(String id) {
        try {
            return SpliceIds.parse(id);
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static String id(FourTuple clientKey) {
        return SpliceIds.of(clientKey);
    }

    /** One line for a splice: its id and how many handoffs its client key has seen. */
    public static String summary(FourTuple clientKey, String spliceText) {
        int handoffs = 0;
        for (String field : spliceText.split("\t")) {
            if (field.contains("handoff_seq=") && EntryText.key(field).equals(clientKey)) {
                handoffs++;
            }
        }
        return id(clientKey) + "  handoffs=" + handoffs;
    }

    /** Every level-2 entry of a splice, one per line, under its level-1 key. */
    public static List<String> details(String spliceText) {
        List<String> lines = new ArrayList<>();
        String[] fields = spliceText.split("\t");
        for (int i = 1; i < fields.length; i++) {
            lines.add("  " + fields[i]);
        }
        return lines;
    }
}
