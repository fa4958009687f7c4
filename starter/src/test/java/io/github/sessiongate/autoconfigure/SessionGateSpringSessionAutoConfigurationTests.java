package io.github.sessiongate.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sessiongate.SessionGate;
import io.github.sessiongate.session.LedgerIndexedSessionRepository;
import io.github.sessiongate.session.SpringSessionEventPublisher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionGateSpringSessionAutoConfiguration}: when the indexed
 * repository, the session registry and the Spring Session events are provided, and when
 * they back off.
 *
 * @author SessionGate team
 */
class SessionGateSpringSessionAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionGateAutoConfiguration.class,
				SessionGateSpringSessionAutoConfiguration.class, SessionAutoConfiguration.class));

	@Test
	void autoConfigurationWhenRepositoryNotIndexedThenIndexesItForGateFilterAndSecurity() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(MapSessionRepository.class);
			LedgerIndexedSessionRepository<?> indexed = context.getBean(LedgerIndexedSessionRepository.class);
			assertThat(indexed.delegate()).isSameAs(context.getBean(MapSessionRepository.class));
			assertThat(context.getBean(FindByIndexNameSessionRepository.class)).isSameAs(indexed);
			assertThat(context.getBean(SessionRepository.class)).isSameAs(indexed);
			assertThat(context.getBean(SessionGate.class).repository()).isSameAs(indexed);
			assertThat(context.getBean(SessionRegistry.class)).isInstanceOf(SpringSessionBackedSessionRegistry.class);
			assertThat(context).hasSingleBean(SpringSessionEventPublisher.class);
			assertThat(context).hasSingleBean(SessionRepositoryFilter.class);
		});
	}

	@Test
	void autoConfigurationWhenAppRepositoryAlreadyIndexedThenLeavesItAlone() {
		this.contextRunner.withUserConfiguration(IndexedRepositoryConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(LedgerIndexedSessionRepository.class);
			assertThat(context).doesNotHaveBean(SessionRegistry.class);
			assertThat(context.getBean(SessionGate.class).repository())
				.isSameAs(context.getBean(FindByIndexNameSessionRepository.class));
		});
	}

	@Test
	void autoConfigurationWhenAppDefinesSessionRegistryThenKeepsIt() {
		this.contextRunner.withBean(SessionRegistry.class, SessionRegistryImpl::new).run((context) -> {
			assertThat(context).hasSingleBean(LedgerIndexedSessionRepository.class);
			assertThat(context.getBean(SessionRegistry.class)).isInstanceOf(SessionRegistryImpl.class);
		});
	}

	@Test
	void autoConfigurationWhenSpringSecurityAbsentThenIndexesWithoutRegistry() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SessionRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(LedgerIndexedSessionRepository.class);
			assertThat(context).doesNotHaveBean("sessionGateSessionRegistry");
		});
	}

	@Test
	void autoConfigurationWhenGateDisabledThenProvidesNothing() {
		this.contextRunner.withUserConfiguration(PlainSessionsConfiguration.class)
			.withPropertyValues("sessiongate.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(LedgerIndexedSessionRepository.class);
				assertThat(context).doesNotHaveBean(SpringSessionEventPublisher.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableSpringHttpSession
	static class IndexedRepositoryConfiguration {

		@Bean
		FindByIndexNameSessionRepository<MapSession> sessionRepository() {
			MapSessionRepository delegate = new MapSessionRepository(new ConcurrentHashMap<>());
			return new FindByIndexNameSessionRepository<>() {

				@Override
				public Map<String, MapSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
					return Map.of();
				}

				@Override
				public MapSession createSession() {
					return delegate.createSession();
				}

				@Override
				public void save(MapSession session) {
					delegate.save(session);
				}

				@Override
				public MapSession findById(String id) {
					return delegate.findById(id);
				}

				@Override
				public void deleteById(String id) {
					delegate.deleteById(id);
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableSpringHttpSession
	static class PlainSessionsConfiguration {

		@Bean
		SessionRepository<? extends Session> sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

}
