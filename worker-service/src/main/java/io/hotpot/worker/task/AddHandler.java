package io.hotpot.worker.task;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.Workload;

/** {@code add}: x + y, exactly; an overflow fails the task instead of wrapping around. */
@ApplicationScoped
public class AddHandler implements TaskHandler<AddHandler.Args> {

    /** The two addends. */
    public record Args(long x, long y) {
    }

    @Override
    public String type() {
        return "add";
    }

    @Override
    public Class<Args> argsType() {
        return Args.class;
    }

    @Override
    public Class<?> resultType() {
        return long.class;
    }

    @Override
    public Workload workload() {
        return Workload.CPU;
    }

    @Override
    public Object run(Args args, TaskContext context) {
        return Math.addExact(args.x(), args.y());
    }
}
