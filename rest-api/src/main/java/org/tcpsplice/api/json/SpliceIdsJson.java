package org.tcpsplice.api.json;

import java.util.List;

/**
 * The body of {@code POST /splices/ended}: splice ids ({@code ids}) and, optionally, the connections of
 * a node's held sockets ({@code connections}, as {@code a:p->b:q}); and its answer: the ids that no
 * longer name a splice ({@code ended}) and the connections no splice maps any more ({@code released}).
 */
public final class SpliceIdsJson {
    public List<String> ids;
    public List<String> connections;
    public List<String> ended;
    public List<String> released;

    public SpliceIdsJson() {
    }

    public static SpliceIdsJson answer(List<String> ended, List<String> released) {
        SpliceIdsJson answer = new SpliceIdsJson();
        answer.ended = ended;
        answer.released = released;
        return answer;
    }
}
