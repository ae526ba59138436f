package dev.mq.core.internal.transport;

/** RocketMQ's LanguageCode names, indexed by the byte the binary header carries. */
final class LanguageCodes {

    private static final String[] NAMES = {
        "JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER", "HTTP", "GO", "PHP", "OMS",
        "RUST", "NODE_JS"
    };

    private LanguageCodes() {
    }

    static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "UNKNOWN_" + code;
    }
}
