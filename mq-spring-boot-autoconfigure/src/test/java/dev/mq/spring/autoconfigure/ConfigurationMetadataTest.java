package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata the build generates ({@code spring-configuration-metadata.json}, what
 * IDEs complete and explain) is whole and agrees with the properties classes and with
 * docs/configuration.md: every {@code mq.*} property has a description, a default wherever it has
 * one, and the same default in the reference; an optional property is declared {@code @Nullable}.
 */
class ConfigurationMetadataTest {

    private static final String METADATA = "/META-INF/spring-configuration-metadata.json";
    /** A row of a property table in docs/configuration.md: | `name` | default | meaning |. */
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `(mq\\.[^`]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

    private static Map<String, JsonNode> properties;

    @BeforeAll
    static void readMetadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(METADATA)) {
            assertThat(in).as("generated " + METADATA).isNotNull();
            properties = new LinkedHashMap<>();
            for (JsonNode property : JsonMapper.shared().readTree(in).get("properties")) {
                String name = property.get("name").asString();
                if (name.startsWith("mq.")) {
                    properties.put(name, property);
                }
            }
        }
    }

    /** mq.producer.auto-batch.max-size: producer.autoBatch.maxSize of MQProperties. */
    private static String beanPath(String property) {
        StringBuilder path = new StringBuilder();
        boolean upper = false;
        for (char c : property.substring("mq.".length()).toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                path.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return path.toString();
    }

    private static @Nullable String text(JsonNode property, String field) {
        JsonNode node = property.get(field);
        return node == null || node.isNull() ? null : node.isString() ? node.asString() : node.toString();
    }

    @Test
    void everyPropertyHasADescription() {
        assertThat(properties).hasSizeGreaterThan(40);
        List<String> without = new ArrayList<>();
        properties.forEach((name, property) -> {
            String description = text(property, "description");
            if (description == null || description.isBlank()) {
                without.add(name);
            }
        });
        assertThat(without).as("mq.* properties without a description").isEmpty();
    }

    /**
     * A property whose field starts with a value has that value as the metadata's default; the
     * nullable ones that leave an engine default in force are {@link ConfigurationMetadataDefaultsTest}'s.
     */
    @Test
    void everyPropertyThatStartsWithAValueStatesItAsItsDefault() {
        BeanWrapper fresh = new BeanWrapperImpl(new MQProperties());
        properties.forEach((name, property) -> {
            String path = beanPath(name);
            assertThat(fresh.isReadableProperty(path)).as(name + " is " + path + " of MQProperties").isTrue();
            Object value = fresh.getPropertyValue(path);
            if (value == null || value instanceof Map<?, ?>) {
                return;
            }
            String stated = text(property, "defaultValue");
            assertThat(stated).as(name + " starts as " + value + ": its metadata default").isNotNull();
            Object parsed = ApplicationConversionService.getSharedInstance().convert(stated,
                    fresh.getPropertyType(path));
            assertThat(parsed).as(name).isEqualTo(value);
        });
    }

    @Test
    void everyPropertyLeftUnsetIsNullable() throws ReflectiveOperationException {
        List<String> notNullable = new ArrayList<>();
        checkNullable(new MQProperties(), "mq", notNullable);
        assertThat(notNullable).as("properties that start null without @Nullable").isEmpty();
    }

    private static void checkNullable(Object properties, String prefix, List<String> notNullable)
            throws ReflectiveOperationException {
        Class<?> type = properties.getClass();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value = field.get(properties);
            String name = prefix + "." + field.getName();
            if (value == null) {
                String suffix = Character.toUpperCase(field.getName().charAt(0)) + field.getName().substring(1);
                Method getter = type.getMethod("get" + suffix);
                Method setter = type.getMethod("set" + suffix, field.getType());
                if (!field.getAnnotatedType().isAnnotationPresent(Nullable.class)
                        || !getter.getAnnotatedReturnType().isAnnotationPresent(Nullable.class)
                        || !setter.getAnnotatedParameterTypes()[0].isAnnotationPresent(Nullable.class)) {
                    notNullable.add(name);
                }
            } else if (value.getClass().getName().startsWith("dev.mq.spring.autoconfigure.")
                    && !value.getClass().isEnum()) {
                checkNullable(value, name, notNullable);
            }
        }
    }

    /** The reference names every property, and a default where the metadata has one, the same. */
    @Test
    void theConfigurationReferenceAgreesWithTheMetadata() throws IOException {
        String reference = Files.readString(Path.of("..", "docs", "configuration.md"), StandardCharsets.UTF_8);
        Map<String, String> documentedDefaults = new LinkedHashMap<>();
        Matcher row = DOC_ROW.matcher(reference);
        while (row.find()) {
            documentedDefaults.put(row.group(1), row.group(2).trim());
        }
        properties.forEach((name, property) -> {
            assertThat(reference).as("docs/configuration.md names " + name).contains("`" + name);
            String stated = text(property, "defaultValue");
            if (stated != null) {
                assertThat(documentedDefaults).as("docs/configuration.md has a row for " + name).containsKey(name);
                assertThat(documentedDefaults.get(name)).as("documented default of " + name)
                        .isEqualTo("`" + stated + "`");
            }
        });
    }

    /** A renamed property stays in the metadata as deprecated, pointing at a name that exists. */
    @Test
    void everyDeprecatedPropertyNamesAReplacementThatExists() {
        properties.forEach((name, property) -> {
            JsonNode deprecation = property.get("deprecation");
            if (deprecation != null) {
                String replacement = text(deprecation, "replacement");
                if (replacement != null) {
                    assertThat(properties).as(name + " is replaced by " + replacement).containsKey(replacement);
                }
                assertThat(text(deprecation, "reason")).as(name + ": why it is deprecated").isNotBlank();
            }
        });
    }
}
