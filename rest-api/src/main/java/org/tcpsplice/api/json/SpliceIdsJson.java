package org.tcpsplice.api.json;

import java.util.List;

/**
 * A list of splice ids: the body of {@code POST /splices/ended} ({@code ids}) and its answer
 * ({@code ended}: those of the ids that no longer name a splice).
 */
public final class SpliceIdsJson {
    public List<String> ids;
    public List<String> ended;

    public SpliceIdsJson() {
    }

    public static SpliceIdsJson ended(List<String> ended) {
        SpliceIdsJson answer = new SpliceIdsJson();
        answer.ended = ended;
        return answer;
    }
}
