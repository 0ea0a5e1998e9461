package io.hotpot.api.service;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.hotpot.common.ArgSpec;
import io.hotpot.common.ResultShape;
import io.hotpot.common.Workload;

/**
 * The catalogue as {@code GET /api/catalogue} shows it: what api-service accepts, where each
 * entry comes from and who runs it now.
 *
 * @param types     the accepted task types
 * @param queues    the accepted logical queues
 * @param retention how long an entry is kept after the last worker advertised it (ISO-8601)
 */
public record CatalogueView(List<Type> types, List<Queue> queues, String retention) {

    /**
     * An accepted task type.
     *
     * @param type             its name
     * @param workload         {@code IO} or {@code CPU}, as its workers said
     * @param args             its arguments ({@code null}: declared without them, any arguments accepted)
     * @param sensitive        arguments shown masked in records
     * @param declared         whether the configuration declares it (then it cannot be removed through the API)
     * @param lastAdvertisedAt when a worker last advertised it ({@code null} if none ever did, or long ago)
     * @param workers          live workers that handle it now
     * @param result           what its result looks like, when its workers said ({@code "$result/…"} in a chain is checked against it)
     */
    public record Type(String type, Workload workload, List<ArgSpec> args, List<String> sensitive, boolean declared,
            Instant lastAdvertisedAt, int workers, @JsonInclude(JsonInclude.Include.NON_NULL) ResultShape result) {
    }

    /**
     * An accepted logical queue.
     *
     * @param name             its name ({@code hotpot.queue.<name>} in RabbitMQ)
     * @param declared         whether the configuration declares it ({@code default} always is)
     * @param lastAdvertisedAt when a worker last said it consumes it
     * @param workers          live workers consuming it now
     */
    public record Queue(String name, boolean declared, Instant lastAdvertisedAt, int workers) {
    }
}
