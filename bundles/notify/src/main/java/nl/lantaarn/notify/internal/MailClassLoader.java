package nl.lantaarn.notify.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.eclipse.angus.activation.MailcapRegistryProviderImpl;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;

/**
 * Jakarta Mail and Activation find their implementations (stream provider, transport, mailcap registry, content
 * handlers) through {@link java.util.ServiceLoader} and resources on the thread context class loader. Inside OSGi the
 * implementations sit in other bundles (Angus Mail, Angus Activation), so mail work runs with this loader, which sees
 * exactly those bundles, as the context class loader.
 */
final class MailClassLoader extends ClassLoader {

    private static final MailClassLoader INSTANCE = new MailClassLoader();

    private final List<ClassLoader> delegates;

    private MailClassLoader() {
        super(null);
        Set<ClassLoader> loaders = Collections.newSetFromMap(new IdentityHashMap<>());
        List<ClassLoader> ordered = new ArrayList<>();
        for (Class<?> type : new Class<?>[] {SMTPTransport.class, MailcapRegistryProviderImpl.class, Session.class,
            DataHandler.class}) {
            ClassLoader loader = type.getClassLoader();
            if (loader != null && loaders.add(loader)) {
                ordered.add(loader);
            }
        }
        this.delegates = List.copyOf(ordered);
    }

    /** Runs mail work with this loader as the thread's context class loader. */
    static <T> T call(Callable<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(INSTANCE);
        try {
            return work.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader loader : delegates) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException e) {
                // try the next bundle
            }
        }
        throw new ClassNotFoundException(name + " (looked in the Jakarta Mail and Angus bundles)");
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader loader : delegates) {
            URL url = loader.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        Set<URL> urls = new LinkedHashSet<>();
        for (ClassLoader loader : delegates) {
            urls.addAll(Collections.list(loader.getResources(name)));
        }
        return Collections.enumeration(urls);
    }
}
