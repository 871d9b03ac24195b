package nl.lantaarn.routing.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.ErrorHandlerFactory;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ErrorHandlerDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.util.URISupport;

import nl.lantaarn.routing.api.RouteOutline;

/**
 * Reads from Camel's route model where a route sends its messages: every endpoint a step names ({@code to}, {@code toD},
 * {@code wireTap}, {@code enrich} with a fixed uri, ...), also inside filters, choices, splits and {@code onException}
 * blocks, and the dead-letter channel of its error handler. Expressions that pick an endpoint at run time
 * ({@code recipientList}, {@code routingSlip}) name no endpoint in the model and are not listed.
 */
final class RouteOutlines {

    private RouteOutlines() {
    }

    /** The outline of the route {@code id}, or {@code null} when the context has no definition of it. */
    static RouteOutline of(ModelCamelContext context, String id, Map<String, String> properties) {
        RouteDefinition definition = context.getRouteDefinition(id);
        if (definition == null) {
            return null;
        }
        Set<String> to = new LinkedHashSet<>();
        collect(definition.getOutputs(), to);
        deadLetterUri(definition.getErrorHandlerFactory(), to);
        String from = definition.getInput() == null ? "" : sanitize(definition.getInput().getEndpointUri());
        return new RouteOutline(id, from, List.copyOf(to), properties);
    }

    private static void collect(List<ProcessorDefinition<?>> outputs, Set<String> to) {
        if (outputs == null) {
            return;
        }
        for (ProcessorDefinition<?> step : outputs) {
            if (step instanceof ToDynamicDefinition dynamic && dynamic.getUri() != null) {
                to.add(sanitize(dynamic.getUri()));
            } else if (step instanceof EndpointRequiredDefinition endpoint && endpoint.getEndpointUri() != null) {
                to.add(sanitize(endpoint.getEndpointUri()));
            }
            if (step instanceof ChoiceDefinition choice) {
                // a choice's getOutputs() is only its last branch (for the fluent builder): walk every branch
                choice.getWhenClauses().forEach(when -> collect(when.getOutputs(), to));
                if (choice.getOtherwise() != null) {
                    collect(choice.getOtherwise().getOutputs(), to);
                }
            } else {
                collect(step.getOutputs(), to);
            }
        }
    }

    private static void deadLetterUri(ErrorHandlerFactory factory, Set<String> to) {
        ErrorHandlerFactory handler = factory instanceof ErrorHandlerDefinition wrapper
                ? wrapper.getErrorHandlerType() : factory;
        if (handler instanceof DeadLetterChannelDefinition channel && channel.getDeadLetterUri() != null) {
            to.add(sanitize(channel.getDeadLetterUri()));
        }
    }

    /** Passwords, tokens and secrets in endpoint options (and user info) masked, as Camel masks them in its logs. */
    private static String sanitize(String uri) {
        return uri == null ? "" : URISupport.sanitizeUri(uri);
    }
}
