package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Certificate common names mapped to a read-only role, as etcd's --client-cert-auth maps a
 * certificate's CN to a user: a client whose certificate names a read-only client may range and
 * watch, and every write it sends is refused with etcd's "permission denied" before it reaches the
 * log. The check looks at each request message, so a txn is refused only if it writes.
 */
final class ReadOnlyClients extends MessageGate {
  private final Set<String> commonNames;

  ReadOnlyClients(Set<String> commonNames) {
    this.commonNames = commonNames;
  }

  @Override
  Function<Object, StatusRuntimeException> judge(ServerCall<?, ?> call, Metadata headers) {
    if (commonNames.isEmpty()
        || commonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))
            .filter(commonNames::contains)
            .isEmpty()) {
      return null;
    }
    return message -> writes(message) ? EtcdApiErrors.PERMISSION_DENIED : null;
  }

  /** The CN of the client's certificate, if it presented one. */
  static Optional<String> commonName(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
        return Optional.empty();
      }
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
      return Optional.empty();
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return Optional.empty();
    }
  }

  private static boolean writes(Object message) {
    return message instanceof PutRequest
        || message instanceof DeleteRangeRequest
        || message instanceof CompactionRequest
        || message instanceof LeaseGrantRequest
        || message instanceof LeaseRevokeRequest
        || message instanceof MemberAddRequest
        || message instanceof MemberRemoveRequest
        || message instanceof TxnRequest t
            && (writes(t.getSuccessList()) || writes(t.getFailureList()));
  }

  private static boolean writes(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      if (op.hasRequestPut()
          || op.hasRequestDeleteRange()
          || op.hasRequestTxn() && writes(op.getRequestTxn())) {
        return true;
      }
    }
    return false;
  }
}
