package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.mq.spring.listener.MQHeaders;
import dev.mq.spring.listener.MQListener;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.ClassPathResource;
import org.springframework.javapoet.ClassName;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs from the starter and mq-core is declared: the protocol bodies Jackson
 * binds, the transaction log's DDL, and the {@code @MQListener} methods of the application's beans,
 * found by Spring's own AOT processing of the context.
 */
class MQRuntimeHintsTest {

    private static final String PROTOCOL = "dev.mq.core.internal.protocol";

    private static RuntimeHints registered() {
        RuntimeHints hints = new RuntimeHints();
        new MQRuntimeHints().registerHints(hints, MQRuntimeHintsTest.class.getClassLoader());
        return hints;
    }

    private static Class<?> protocolType(String simpleName) {
        return ClassUtils.resolveClassName(PROTOCOL + "." + simpleName, MQRuntimeHintsTest.class.getClassLoader());
    }

    /** Jackson creates a record through its canonical constructor and writes it through its accessors. */
    private static void assertBound(RuntimeHints hints, Class<?> record) throws NoSuchMethodException {
        assertThat(RuntimeHintsPredicates.reflection().onType(record)).as(record.getName()).accepts(hints);
        Class<?>[] parameters = Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> canonical = record.getDeclaredConstructor(parameters);
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(canonical)).as(record.getName())
                .accepts(hints);
        for (RecordComponent component : record.getRecordComponents()) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
                    .as(record.getName() + "." + component.getName()).accepts(hints);
        }
    }

    @Test
    void theRouteModelAndTheBodiesJacksonBindsAreRegistered() throws NoSuchMethodException {
        RuntimeHints hints = registered();
        // The route a NameServer answers and what it names, reached through the record's components.
        assertBound(hints, protocolType("TopicRouteData"));
        assertBound(hints, protocolType("QueueData"));
        assertBound(hints, protocolType("BrokerData"));
        // Private records nested in the bodies, written and read by the mapper.
        assertBound(hints, protocolType("LockBatchBody$Answer"));
        assertBound(hints, protocolType("LockBatchBody$AnswerQueue"));
        assertBound(hints, protocolType("HeartbeatBody$Heartbeat"));
        assertBound(hints, protocolType("HeartbeatBody$ConsumerGroup"));
        assertBound(hints, protocolType("OffsetsFile$ParsedEntry"));
        assertBound(hints, protocolType("ConsumeDirectlyResult"));
        assertThat(RuntimeHintsPredicates.reflection().onType(protocolType("HeartbeatBody$ConsumeFromWhere")))
                .accepts(hints);
    }

    /**
     * A new body read or written with the protocol mapper (or the fastjson-compatible writer) that is
     * not in {@link MQRuntimeHints#JSON_TYPES} would work on the JVM and fail in a native image.
     */
    @Test
    void everyProtocolClassThatUsesTheJsonMapperIsListed() {
        JavaClasses protocol = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PROTOCOL);
        Set<String> users = new TreeSet<>();
        for (JavaClass type : protocol) {
            boolean usesMapper = type.getFieldAccessesFromSelf().stream()
                    .anyMatch(access -> access.getTargetOwner().getName().equals(PROTOCOL + ".ProtocolJson"));
            boolean usesWriter = type.getMethodCallsFromSelf().stream()
                    .anyMatch(call -> call.getTargetOwner().getName().equals(PROTOCOL + ".FastjsonWriter")
                            && call.getName().equals("json"));
            if (usesMapper || usesWriter) {
                String topLevel = type.getName().contains("$")
                        ? type.getName().substring(0, type.getName().indexOf('$')) : type.getName();
                users.add(topLevel);
            }
        }
        // The mapper's own holder and the writer: what they read and write is their callers'.
        users.remove(PROTOCOL + ".ProtocolJson");
        users.remove(PROTOCOL + ".FastjsonWriter");
        assertThat(users).as("classes using the protocol mapper").isNotEmpty();
        assertThat(MQRuntimeHints.JSON_TYPES).containsAll(users);
    }

    @Test
    void theTransactionLogsDdlScriptsAreIncluded() {
        RuntimeHints hints = registered();
        for (String database : new String[] {"h2", "mysql", "postgresql"}) {
            String path = "dev/mq/spring/autoconfigure/transaction-log/schema-" + database + ".sql";
            assertThat(new ClassPathResource(path).exists()).as(path).isTrue();
            assertThat(RuntimeHintsPredicates.resource().forResource(path)).as(path).accepts(hints);
        }
    }

    record Order(String id, int amount) {
    }

    record Receipt(String orderId) {
    }

    static class OrderListeners {

        @MQListener(topic = "Orders", group = "billing")
        void onOrder(Order order, @Header(MQHeaders.TAGS) String tags) {
        }

        @MQListener(topic = "Requests", group = "replies")
        CompletionStage<Receipt> onRequest(Order order) {
            return CompletableFuture.completedFuture(new Receipt(order.id()));
        }
    }

    /**
     * The context's AOT processing (what {@code spring-boot:process-aot} runs) picks up the starter's
     * registrar through the auto-configuration and the listener methods through the annotation.
     */
    @Test
    void aotProcessingOfAContextWithTheStarterRegistersItsHintsAndTheListeners() throws NoSuchMethodException {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        TestPropertyValues.of("mq.name-server=127.0.0.1:9876", "mq.producer.group=p").applyTo(context);
        context.register(MQAutoConfiguration.class, MQListenerAutoConfiguration.class, OrderListeners.class);
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(MQRuntimeHintsTest.class)), new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        RuntimeHints hints = generation.getRuntimeHints();

        assertBound(hints, protocolType("TopicRouteData"));
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListeners.class, "onOrder"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListeners.class, "onRequest"))
                .accepts(hints);
        assertBound(hints, Order.class);   // the payload
        assertBound(hints, Receipt.class); // the reply, inside the CompletionStage
    }
}
