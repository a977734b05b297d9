package dev.sluice.protocol.check;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

import java.io.InputStream;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers a request message that does not decode as its protobuf type with
 * {@code INVALID_ARGUMENT} naming the method, counted as {@code invalid} in
 * {@code sluice_refused_total}. Left to grpc-java, such a message fails the call with
 * {@code UNKNOWN} ("Application error processing RPC") and a SEVERE stack trace in the log for
 * every message: a peer could flood the log. The service sees the call end as if the peer had
 * cancelled it. Wrap a service's definition: {@code guard(super.bindService(), refusals)}.
 */
public final class UndecodableMessages {

    private static final Logger LOG = Logger.getLogger(UndecodableMessages.class.getName());

    private UndecodableMessages() {
    }

    /** {@code service} with every method's requests decoded this way. */
    public static ServerServiceDefinition guard(ServerServiceDefinition service, RefusalCounter refusals) {
        ServiceDescriptor plain = service.getServiceDescriptor();
        RefusalCounter.Boundary boundary = RefusalCounter.Boundary.ofService(plain.getName());
        List<ServerMethodDefinition<?, ?>> methods = service.getMethods().stream()
                .<ServerMethodDefinition<?, ?>>map(m -> guard(m, boundary, refusals)).toList();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(plain.getName())
                .setSchemaDescriptor(plain.getSchemaDescriptor());
        methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(guarded::addMethod);
        return guarded.build();
    }

    private static <Q, A> ServerMethodDefinition<Q, A> guard(ServerMethodDefinition<Q, A> method,
            RefusalCounter.Boundary boundary, RefusalCounter refusals) {
        MethodDescriptor<Q, A> plain = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> strict = plain.getRequestMarshaller();
        // A message that does not decode becomes null, which only the listener below ever sees.
        MethodDescriptor<Q, A> lenient = plain.toBuilder().setRequestMarshaller(new MethodDescriptor.Marshaller<Q>() {
            @Override
            public InputStream stream(Q value) {
                return strict.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
                try {
                    return strict.parse(stream);
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }).build();
        ServerCallHandler<Q, A> handler = method.getServerCallHandler();
        return ServerMethodDefinition.create(lenient, (call, headers) ->
                new Refusing<>(handler.startCall(call, headers), call, boundary, refusals));
    }

    /** Forwards everything until a message that did not decode; then ends the call and forwards nothing more. */
    private static final class Refusing<Q, A> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final ServerCall<Q, A> call;
        private final RefusalCounter.Boundary boundary;
        private final RefusalCounter refusals;
        private boolean refused;

        Refusing(ServerCall.Listener<Q> delegate, ServerCall<Q, A> call, RefusalCounter.Boundary boundary,
                RefusalCounter refusals) {
            super(delegate);
            this.call = call;
            this.boundary = boundary;
            this.refusals = refusals;
        }

        @Override
        public void onMessage(Q message) {
            if (refused) {
                return;
            }
            if (message != null) {
                super.onMessage(message);
                return;
            }
            refused = true;
            refusals.count(boundary, Refusal.Reason.INVALID);
            String method = call.getMethodDescriptor().getFullMethodName();
            LOG.log(Level.FINE, "refused an undecodable message to {0}", method);
            // The service lets go of the call as of a peer that went away...
            super.onCancel();
            try {
                // ...and the peer learns why, unless the service answered it already.
                call.close(Status.INVALID_ARGUMENT.withDescription("the message to " + method
                        + " is not a valid protobuf message of its type"), new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                LOG.log(Level.FINE, "the service closed the call to {0} first", method);
            }
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                super.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            if (!refused) {
                super.onCancel();
            }
        }

        @Override
        public void onComplete() {
            if (!refused) {
                super.onComplete();
            }
        }

        @Override
        public void onReady() {
            if (!refused) {
                super.onReady();
            }
        }
    }
}
