package io.github.sessiongate.autoconfigure;

import java.util.Arrays;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.ledger.SessionLedger;
import io.github.sessiongate.session.LedgerIndexedSessionRepository;
import io.github.sessiongate.session.SpringSessionEventPublisher;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * Makes Spring Session whole on any repository, from what the gate already knows:
 * <ul>
 * <li>when the application's session repository is not a
 * {@link FindByIndexNameSessionRepository} (the in-memory one, Spring Session Data
 * Redis's {@code RedisSessionRepository}...), a {@link LedgerIndexedSessionRepository}
 * over it, {@link Primary @Primary}: Spring Session's filter, the gate, Boot's
 * {@code sessions} Actuator endpoint and Spring Security find a user's sessions through
 * the ledger's user index, and an invalidated session ends in the ledger at once;</li>
 * <li>with Spring Security, a {@link SpringSessionBackedSessionRegistry} over it (unless
 * the application defines a {@link SessionRegistry}), which
 * {@code sessionManagement().maximumSessions(n)} picks up, so the limit holds on every
 * node;</li>
 * <li>unless the repository publishes them itself ({@code RedisIndexedSessionRepository},
 * {@code HazelcastIndexedSessionRepository}), Spring Session's
 * {@code SessionCreatedEvent}, {@code SessionDeletedEvent} and
 * {@code SessionExpiredEvent}, published once per session by the node that observed the
 * start or end ({@link SpringSessionEventPublisher}).</li>
 * </ul>
 *
 * @author SessionGate team
 */
@AutoConfiguration(after = SessionGateAutoConfiguration.class,
		beforeName = "org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration")
@ConditionalOnClass(SessionGate.class)
@ConditionalOnBean({ SessionGate.class, SessionLedger.class })
public final class SessionGateSpringSessionAutoConfiguration {

	/** Name of the indexed repository bean. */
	public static final String INDEXED_REPOSITORY_BEAN_NAME = "sessionGateIndexedSessionRepository";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSingleCandidate(SessionRepository.class)
	@ConditionalOnMissingBean(FindByIndexNameSessionRepository.class)
	static class IndexedRepositoryConfiguration {

		@Bean(name = INDEXED_REPOSITORY_BEAN_NAME)
		@Primary
		LedgerIndexedSessionRepository<?> sessionGateIndexedSessionRepository(ListableBeanFactory beanFactory,
				SessionLedger sessionLedger) {
			// the application's repository is the one other SessionRepository bean; it
			// cannot be injected by type, as this bean is a SessionRepository too
			String[] names = Arrays.stream(beanFactory.getBeanNamesForType(SessionRepository.class, true, false))
				.filter((name) -> !INDEXED_REPOSITORY_BEAN_NAME.equals(name))
				.toArray(String[]::new);
			if (names.length != 1) {
				throw new IllegalStateException(
						"Expected one application SessionRepository to index, found " + Arrays.toString(names));
			}
			return indexed(beanFactory.getBean(names[0], SessionRepository.class), sessionLedger);
		}

		@Bean
		SmartInitializingSingleton sessionGateIndexedSessionRepositoryLink(
				LedgerIndexedSessionRepository<?> sessionGateIndexedSessionRepository,
				ObjectProvider<SessionGate> sessionGate) {
			// the gate is built around this repository, so the link is made once both
			// exist
			return () -> sessionGate
				.ifAvailable((gate) -> sessionGateIndexedSessionRepository.endSessionsThrough(gate.admin()));
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ SessionRegistry.class, SpringSessionBackedSessionRegistry.class })
		static class SessionRegistryConfiguration {

			@Bean
			@ConditionalOnMissingBean(SessionRegistry.class)
			SpringSessionBackedSessionRegistry<?> sessionGateSessionRegistry(
					LedgerIndexedSessionRepository<?> sessionGateIndexedSessionRepository) {
				return new SpringSessionBackedSessionRegistry<>(sessionGateIndexedSessionRepository);
			}

		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private static LedgerIndexedSessionRepository<?> indexed(SessionRepository<?> repository,
				SessionLedger ledger) {
			return new LedgerIndexedSessionRepository<>((SessionRepository<Session>) (SessionRepository) repository,
					ledger);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(type = { "org.springframework.session.data.redis.RedisIndexedSessionRepository",
			"org.springframework.session.hazelcast.HazelcastIndexedSessionRepository" })
	static class EventsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SpringSessionEventPublisher sessionGateSpringSessionEventPublisher(ApplicationEventPublisher publisher) {
			return new SpringSessionEventPublisher(publisher);
		}

	}

}
