package io.hotpot.worker.task;

import java.math.BigDecimal;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.Workload;

/**
 * {@code sum}: adds up a list of numbers, Celery's {@code xsum}; made for a group's callback
 * ({@code "then":{"type":"sum"}}), whose {@code results} the group fills in. A result that is not
 * a number ({@code null} for a task that did not succeed, with {@code chordError} continue) is
 * left out and counted as missing.
 */
@ApplicationScoped
public class SumHandler implements TaskHandler<SumHandler.Args> {
    /** @param results the numbers, in any JSON form */
    public record Args(List<JsonNode> results) {
    }

    /**
     * @param sum     the total of the numbers
     * @param count   how many numbers were added
     * @param missing how many entries were not numbers
     */
    public record Result(BigDecimal sum, int count, int missing) {
    }

    @Override
    public String type() {
        return "sum";
    }

    @Override
    public Class<Args> argsType() {
        return Args.class;
    }

    @Override
    public Class<?> resultType() {
        return Result.class;
    }

    @Override
    public Workload workload() {
        return Workload.CPU;
    }

    @Override
    public Object run(Args args, TaskContext context) {
        BigDecimal sum = BigDecimal.ZERO;
        int count = 0;
        for (JsonNode result : args.results()) {
            if (result != null && result.isNumber()) {
                sum = sum.add(result.decimalValue());
                count++;
            }
        }
        return new Result(sum.stripTrailingZeros().scale() < 0 ? sum.setScale(0) : sum.stripTrailingZeros(), count,
                args.results().size() - count);
    }
}
