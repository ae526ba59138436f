package dev.mq.test.broker;

import dev.mq.test.launcher.NodeLauncher;
import java.util.Map;
import org.apache.rocketmq.common.MQVersion;

/**
 * Entry point of a child JVM that runs one Apache RocketMQ 5.x node: {@code NodeMain
 * namesrv|broker|reader --key=value ...}. The line protocol, the options and the STOP handling are
 * {@link NodeLauncher}'s (which also sets the remoting version RocketMQ's start-up scripts
 * would), shared with the 4.9 launcher.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) {
        NodeLauncher.run(args, MQVersion.CURRENT_VERSION, Map.of(
                "namesrv", NameServerNode::new,
                "broker", BrokerNode::new,
                "reader", options -> new ReaderNode()));
    }
}
