package dev.mq.test.broker4;

import dev.mq.test.launcher.NodeLauncher;
import java.util.Map;
import org.apache.rocketmq.common.MQVersion;

/**
 * Entry point of a child JVM that runs one Apache RocketMQ 4.9 node: {@code NodeMain
 * namesrv|broker --key=value ...}. The line protocol, the options and the STOP handling are
 * {@link NodeLauncher}'s (which also sets the remoting version RocketMQ's start-up scripts
 * would), shared with the 5.x launcher in {@code mq-test-broker}.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) {
        NodeLauncher.run(args, MQVersion.CURRENT_VERSION, Map.of(
                "namesrv", NameServerNode::new,
                "broker", BrokerNode::new));
    }
}
