package dev.mq.spring.autoconfigure;

import dev.mq.spring.listener.MQListener;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@code @MQListener} methods on every bean (on the target class of a proxy, called through the
 * proxy) and hands them to the {@link ListenerRegistry} once all singletons exist, so that making
 * the containers cannot pull beans into existence early. Beans created later (lazy ones) are
 * registered when they are created.
 */
final class ListenerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware,
        SmartInitializingSingleton {

    private record Found(Object bean, Method method, MQListener annotation) {
    }

    private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();
    private final List<Found> pending = new ArrayList<>();
    private BeanFactory beanFactory;
    private volatile boolean singletonsInstantiated;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> target = AopUtils.getTargetClass(bean);
        if (withoutListeners.contains(target) || !AnnotationUtils.isCandidateClass(target, MQListener.class)) {
            return bean;
        }
        Map<Method, MQListener> methods = MethodIntrospector.selectMethods(target,
                (MethodIntrospector.MetadataLookup<MQListener>) m ->
                        AnnotatedElementUtils.findMergedAnnotation(m, MQListener.class));
        if (methods.isEmpty()) {
            withoutListeners.add(target);
            return bean;
        }
        List<Found> found = new ArrayList<>();
        methods.forEach((method, annotation) -> found.add(new Found(bean, method, annotation)));
        if (singletonsInstantiated) {
            ListenerRegistry registry = beanFactory.getBean(ListenerRegistry.class);
            found.forEach(f -> registry.register(f.bean(), f.method(), f.annotation()));
        } else {
            synchronized (pending) {
                pending.addAll(found);
            }
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ListenerRegistry registry = beanFactory.getBean(ListenerRegistry.class);
        List<Found> found;
        synchronized (pending) {
            found = List.copyOf(pending);
            pending.clear();
            singletonsInstantiated = true;
        }
        found.forEach(f -> registry.register(f.bean(), f.method(), f.annotation()));
    }
}
