package dev.mq.test.broker;

import dev.mq.test.launcher.NodeLauncher;
import java.util.Map;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * Entry point of a child JVM that runs one Apache RocketMQ 5.x node: {@code NodeMain
 * namesrv|broker|reader --key=value ...}. The line protocol, the options and the STOP handling are
 * {@link NodeLauncher}'s, shared with the 4.9 launcher.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) {
        // The official start-up scripts set this; without it every request carries version 0 and
        // the NameServer decodes broker registrations in the pre-4.x format, dropping all topics.
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        NodeLauncher.run(args, Map.of(
                "namesrv", NameServerNode::new,
                "broker", BrokerNode::new,
                "reader", options -> new ReaderNode()));
    }
}
