package io.hotpot.worker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The fan-out on its own: its bound, its order, and that nothing it started outlives it. */
class FanOutTest {
    private static final FanOut.Progress QUIET = (done, total) -> {
    };

    private static List<Integer> numbers(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    /** Counts calls running at once and the most seen. */
    private static final class Gauge {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();

        void enter() {
            started.incrementAndGet();
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void leave() {
            now.decrementAndGet();
            ended.incrementAndGet();
        }
    }

    @Test
    void resultsComeInTheItemsOrderWithTheLimitReachedAndNeverPassed() throws Exception {
        Gauge gauge = new Gauge();
        // The first seven calls wait for each other: the fan-out must run seven at once to get past them.
        CountDownLatch seven = new CountDownLatch(7);
        List<Integer> squares = FanOut.run("t", numbers(200), 7, i -> {
            gauge.enter();
            try {
                seven.countDown();
                assertTrue(seven.await(10, TimeUnit.SECONDS), "seven calls at once");
                Thread.sleep(i % 3);
                return i * i;
            } finally {
                gauge.leave();
            }
        }, QUIET);
        assertEquals(numbers(200).stream().map(i -> i * i).toList(), squares);
        assertEquals(7, gauge.most.get());
        assertEquals(200, gauge.started.get());
    }

    @Test
    void theFirstFailureCancelsTheRestAndIsThrownOnceTheyEnded() {
        Gauge gauge = new Gauge();
        CountDownLatch others = new CountDownLatch(9);
        IOException thrown = assertThrows(IOException.class, () -> FanOut.run("t", numbers(1000), 10, i -> {
            gauge.enter();
            try {
                if (i == 9) {
                    assertTrue(others.await(10, TimeUnit.SECONDS));
                    throw new IOException("refused: " + i);
                }
                others.countDown();
                Thread.sleep(60_000);
                return i;
            } catch (InterruptedException e) {
                gauge.interrupted.incrementAndGet();
                throw e;
            } finally {
                gauge.leave();
            }
        }, QUIET));
        assertEquals("refused: 9", thrown.getMessage());
        assertEquals(10, gauge.started.get(), "no call starts after the failure");
        assertEquals(gauge.started.get(), gauge.ended.get(), "every call started has ended when the fan-out throws");
        assertEquals(9, gauge.interrupted.get());
    }

    @Test
    void anInterruptOfTheTasksThreadCancelsEveryCallAndThrows() throws Exception {
        Gauge gauge = new Gauge();
        CountDownLatch running = new CountDownLatch(20);
        CompletableFuture<Thread> taskThread = new CompletableFuture<>();
        CompletableFuture<Object[]> outcome = new CompletableFuture<>(); // what the fan-out ended with, and the interrupt flag
        Thread.ofVirtual().start(() -> {
            taskThread.complete(Thread.currentThread());
            try {
                outcome.complete(new Object[] { FanOut.run("t", numbers(200), 20, i -> {
                    gauge.enter();
                    try {
                        running.countDown();
                        Thread.sleep(60_000);
                        return i;
                    } finally {
                        gauge.leave();
                    }
                }, QUIET), false });
            } catch (Throwable e) {
                outcome.complete(new Object[] { e, Thread.currentThread().isInterrupted() });
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        taskThread.get().interrupt(); // what a revoke or the time limit does
        Object[] ended = outcome.get(10, TimeUnit.SECONDS);
        assertInstanceOf(InterruptedException.class, ended[0]);
        assertEquals(true, ended[1], "the interrupt is kept for the runner");
        assertEquals(20, gauge.started.get());
        assertEquals(20, gauge.ended.get(), "every call has ended when the fan-out throws");
    }

    @Test
    void progressOnlyGoesForwardAndEndsWithEveryCall() throws Exception {
        List<int[]> reports = new CopyOnWriteArrayList<>();
        FanOut.run("t", numbers(40), 4, i -> {
            Thread.sleep(50);
            return i;
        }, (done, total) -> reports.add(new int[] { done, total }));
        assertTrue(reports.size() >= 2, "reports while calls finish, and the last: " + reports.size());
        for (int i = 1; i < reports.size(); i++) {
            assertTrue(reports.get(i)[0] > reports.get(i - 1)[0], "forward only");
        }
        assertEquals(40, reports.get(reports.size() - 1)[0]);
        assertEquals(40, reports.get(reports.size() - 1)[1]);
    }

    @Test
    void noItemsNoCalls() throws Exception {
        assertEquals(List.of(), FanOut.run("t", List.of(), 5, i -> {
            throw new AssertionError("called");
        }, (done, total) -> {
            throw new AssertionError("reported");
        }));
    }

    @Test
    void aParallelismOutsideTheBoundsIsRefusedNamingTheSetting() {
        FanOut fanOut = new FanOut(50, 1000);
        fanOut.check(1);
        fanOut.check(1000);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> fanOut.check(0));
        assertTrue(zero.getMessage().contains("hotpot.tasks.fan-out.max-parallelism"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fanOut.check(1001));
        assertThrows(IllegalArgumentException.class, () -> new FanOut(2000, 1000));
    }

    @Test
    void aCallsErrorIsThrownAsItIs() {
        ExecutionException wrapped = new ExecutionException("x", null);
        assertEquals(wrapped, assertThrows(ExecutionException.class, () -> FanOut.run("t", numbers(3), 3, i -> {
            throw wrapped;
        }, QUIET)));
    }
}
