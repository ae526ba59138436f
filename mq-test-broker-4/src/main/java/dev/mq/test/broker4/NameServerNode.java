package dev.mq.test.broker4;

import dev.mq.test.launcher.Node;
import dev.mq.test.launcher.NodeOptions;
import java.io.File;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;

/**
 * The Apache RocketMQ 4.9 NameServer with all its files under {@code --home}. 4.x has no bind
 * setting: it listens on every interface, and clients reach it on 127.0.0.1.
 */
final class NameServerNode implements Node {

    private final int port;
    private final File home;
    private NamesrvController controller;

    NameServerNode(NodeOptions options) {
        this.port = options.requireInt("port");
        this.home = options.requireFile("home");
    }

    @Override
    public void start() throws Exception {
        NamesrvConfig config = new NamesrvConfig();
        config.setRocketmqHome(home.getPath());
        config.setKvConfigPath(new File(home, "kvConfig.json").getPath());
        config.setConfigStorePath(new File(home, "namesrv.properties").getPath());

        NettyServerConfig server = new NettyServerConfig();
        server.setListenPort(port);

        controller = new NamesrvController(config, server);
        if (!controller.initialize()) {
            throw new IllegalStateException("NameServer failed to initialize");
        }
        controller.start();
    }

    @Override
    public void shutdown() {
        controller.shutdown();
    }
}
