package dev.mq.spring.autoconfigure.txe2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second instance of {@link TxApplication} in a JVM of its own, driven by {@code ChildJvm}:
 * {@code DIE <orderId>} places an order whose process dies after the database commit and before the
 * END (it answers {@code OK <transactionId>} first).
 */
public final class TxChild {

    static final String REPLY = "@@tx ";

    private TxChild() {
    }

    /** @param args the NameServer address and the JDBC URL */
    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplication(TxApplication.class).run(
                "--mq.name-server=" + args[0], "--txe2e.jdbc-url=" + args[1],
                "--mq.producer.group=" + TxApplication.GROUP, "--mq.producer.transaction.log.enabled=true",
                "--mq.producer.transaction.log.initialize-schema=always", "--spring.main.web-application-type=none");
        System.out.println(REPLY + "READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.split(" ");
            try {
                if (command[0].equals("DIE")) {
                    context.getBean(TxApplication.Orders.class).place(command[1], TxApplication.After.DIE_AFTER_COMMIT);
                }
                System.out.println(REPLY + "ERR did not die: " + line);
            } catch (RuntimeException e) {
                System.out.println(REPLY + "ERR " + e);
            }
            System.out.flush();
        }
        context.close();
    }
}
