package io.peftflow.kit.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.function.Function;

/**
 * The one page shape of every listing in every service: OpenAI's list object
 * ({@code {"object": "list", "data": [...], "has_more": ..., "first_id": ..., "last_id": ...}}), so the official SDKs'
 * auto-pagination and the console read all of them alike. The next page is asked for with {@code after=<last_id>}.
 * {@code first_id}/{@code last_id} are the position of the first and last item: their id where the listing is
 * ordered by id, an opaque position where it is sorted by something else (a metric).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Page<T>(String object, List<T> data, boolean hasMore, String firstId, String lastId) {

    public static <T> Page<T> of(List<T> data, boolean hasMore, Function<T, String> position) {
        return new Page<>("list", data, hasMore, data.isEmpty() ? null : position.apply(data.get(0)),
                data.isEmpty() ? null : position.apply(data.get(data.size() - 1)));
    }

    /**
     * A page from a query that fetched up to {@code limit + 1} rows: the extra row only says that there is more.
     *
     * @param position the position of a row, which {@code after} takes back
     */
    public static <R, T> Page<T> fetched(List<R> rows, int limit, Function<R, T> view, Function<R, String> position) {
        List<R> kept = rows.size() > limit ? rows.subList(0, limit) : rows;
        return new Page<>("list", kept.stream().map(view).toList(), rows.size() > limit,
                kept.isEmpty() ? null : position.apply(kept.get(0)),
                kept.isEmpty() ? null : position.apply(kept.get(kept.size() - 1)));
    }
}
