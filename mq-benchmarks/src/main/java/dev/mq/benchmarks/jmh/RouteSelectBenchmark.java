package dev.mq.benchmarks.jmh;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.BrokerData;
import dev.mq.core.internal.protocol.QueueData;
import dev.mq.core.internal.protocol.TopicRouteData;
import dev.mq.core.internal.route.TopicPublishInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TopicPublishInfo#select}: the queue of a first attempt (any broker acceptable) and of a retry
 * (avoiding the broker that just failed, one broker penalised by fault tolerance), over 8 queues per
 * broker.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouteSelectBenchmark {

    @Param({"1", "3"})
    public int brokers;

    private TopicPublishInfo route;
    private final Predicate<String> anyBroker = name -> true;
    private final Predicate<String> notBrokerB = name -> !name.equals("broker-b");

    @Setup
    public void setUp() {
        List<QueueData> queues = new ArrayList<>();
        List<BrokerData> brokerData = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
            String name = "broker-" + (char) ('a' + i);
            queues.add(new QueueData(name, 8, 8, 6, 0));
            brokerData.add(new BrokerData("DefaultCluster", name, Map.of(0L, "127.0.0.1:" + (10911 + i))));
        }
        route = TopicPublishInfo.from("BenchTopic", new TopicRouteData(null, queues, brokerData), false, Integer.MAX_VALUE);
    }

    @Benchmark
    public MessageQueue firstAttempt() {
        return route.select(null, anyBroker);
    }

    @Benchmark
    public MessageQueue retryElsewhere() {
        return route.select("broker-a", notBrokerB);
    }
}
