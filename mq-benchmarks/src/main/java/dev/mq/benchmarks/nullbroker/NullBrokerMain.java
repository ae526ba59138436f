package dev.mq.benchmarks.nullbroker;

import dev.mq.benchmarks.worker.WorkerMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@link NullBroker} in its own JVM (so its work is not charged to the client being measured):
 * {@code NullBrokerMain [--port=N] [--io-threads=N]}. Prints {@code @@bench READY port=N}, answers
 * {@code STATS} and {@code RECEIVED topic=T} (messages received for T, by any kind of send) on stdin, and exits on {@code QUIT} or when stdin closes.
 */
public final class NullBrokerMain {

    private NullBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        int ioThreads = 2;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--io-threads=")) {
                ioThreads = Integer.parseInt(arg.substring("--io-threads=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        try (NullBroker broker = new NullBroker(port, ioThreads)) {
            System.out.println(WorkerMain.PREFIX + "READY port=" + broker.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("QUIT")) {
                String command = line.trim();
                if (command.equals("STATS")) {
                    System.out.println(WorkerMain.PREFIX + "OK " + broker.stats());
                } else if (command.startsWith("RECEIVED topic=")) {
                    System.out.println(WorkerMain.PREFIX + "OK received=" + broker.messagesReceived(command.substring(15)));
                } else {
                    System.out.println(WorkerMain.PREFIX + "ERR unknown command " + command);
                }
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
