// Prints, for each hex-encoded key read from stdin, the partition the Java producer would choose for it among
// args[0] partitions: the exact code path of Kafka's own client (BuiltInPartitioner.partitionForKey, murmur2).
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

public class JavaPartition {
    public static void main(String[] args) throws Exception {
        int partitions = Integer.parseInt(args[0]);
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            byte[] key = java.util.HexFormat.of().parseHex(line.trim());
            System.out.println(BuiltInPartitioner.partitionForKey(key, partitions));
        }
    }
}
