package dev.mq.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What fake NameServers and brokers write, built by hand so that tests see the wire as a RocketMQ
 * server writes it: route bodies in the standard JSON form, and response frames with header fields
 * and a body.
 */
public final class Wire {

    private Wire() {
    }

    /** A route body: every broker of {@code masters} (name to address, in order) a master with {@code queues} queues. */
    public static byte[] route(int queues, Map<String, String> masters) {
        StringBuilder brokerDatas = new StringBuilder();
        StringBuilder queueDatas = new StringBuilder();
        for (Map.Entry<String, String> broker : masters.entrySet()) {
            String sep = brokerDatas.length() == 0 ? "" : ",";
            brokerDatas.append(sep).append("{\"brokerAddrs\":{\"0\":").append(quote(broker.getValue()))
                    .append("},\"brokerName\":").append(quote(broker.getKey()))
                    .append(",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}");
            queueDatas.append(sep).append("{\"brokerName\":").append(quote(broker.getKey()))
                    .append(",\"perm\":6,\"readQueueNums\":").append(queues)
                    .append(",\"topicSysFlag\":0,\"writeQueueNums\":").append(queues).append('}');
        }
        return ("{\"brokerDatas\":[" + brokerDatas + "],\"filterServerTable\":{},\"queueDatas\":[" + queueDatas + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A route body naming one master, {@code brokerName} at {@code address}, with {@code queues} queues. */
    public static byte[] route(String brokerName, String address, int queues) {
        return route(queues, Map.of(brokerName, address));
    }

    /**
     * A response frame — {@code int32 length | int32 headerLength | JSON header | body} — with
     * {@code fields} as its extFields, and {@code remark} and {@code body} when not null.
     */
    public static ByteBuf frame(int opaque, int code, String remark, Map<String, String> fields, byte[] body) {
        return frame(opaque, code, 1, remark, fields, body);
    }

    /** A request a server initiates, oneway (flag 2): {@code fields} as its extFields, {@code body} if not null. */
    public static ByteBuf onewayRequest(int opaque, int code, Map<String, String> fields, byte[] body) {
        return frame(opaque, code, 2, null, fields, body);
    }

    /** A request a server initiates that expects an answer (flag 0): {@code fields} as its extFields. */
    public static ByteBuf request(int opaque, int code, Map<String, String> fields, byte[] body) {
        return frame(opaque, code, 0, null, fields, body);
    }

    private static ByteBuf frame(int opaque, int code, int flag, String remark, Map<String, String> fields,
                                 byte[] body) {
        StringBuilder json = new StringBuilder("{\"code\":").append(code).append(",\"extFields\":{");
        String sep = "";
        for (Map.Entry<String, String> field : fields.entrySet()) {
            json.append(sep).append(quote(field.getKey())).append(':').append(quote(field.getValue()));
            sep = ",";
        }
        json.append("},\"flag\":").append(flag).append(",\"language\":\"JAVA\",\"opaque\":").append(opaque);
        if (remark != null) {
            json.append(",\"remark\":").append(quote(remark));
        }
        json.append(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":479}");
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int bodyLength = body == null ? 0 : body.length;
        ByteBuf out = Unpooled.buffer(8 + header.length + bodyLength);
        out.writeInt(4 + header.length + bodyLength);
        out.writeInt(header.length); // serialize type JSON (0) in the high byte
        out.writeBytes(header);
        if (body != null) {
            out.writeBytes(body);
        }
        return out;
    }

    /** A JSON string, control characters (such as the property separators) escaped as a broker's fastjson writes them. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
