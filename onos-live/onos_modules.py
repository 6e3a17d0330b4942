"""What the minimal ONOS 2.7.0 is made of: the modules built from ONOS's source, the apps (.oar)
assembled from them, and the Karaf features of the core.

ONOS builds with Bazel; these are the Maven equivalents of the BUILD files of the modules that Maven
Central does not carry at 2.7.0 (see ../../shared/onos/README.md). Everything else comes from Central.
"""

VERSION = '2.7.0'
KARAF_VERSION = '4.2.9'
GROUP = 'org.onosproject'
OPENFLOWJ = (GROUP, 'openflowj', '3.2.1.onos')

# core/store/primitives loads Atomix's primitive and protocol classes by name; bnd cannot see those
# imports (its BUILD file lists them as import_packages).
_PRIMITIVES = ['barrier', 'collection', 'counter', 'election', 'idgenerator', 'iterator', 'list', 'lock', 'log',
               'map', 'multimap', 'multiset', 'queue', 'semaphore', 'set', 'transaction', 'tree', 'value',
               'workqueue']
ATOMIX_DYNAMIC_IMPORTS = ','.join(
    ['io.atomix.cluster.discovery', 'io.atomix.cluster.protocol', 'io.atomix.primitive.session.impl']
    + ['io.atomix.core.%s%s' % (p, suffix) for p in _PRIMITIVES for suffix in ('', '.impl')]
    + ['io.atomix.primitive.partition.impl']
    + ['io.atomix.protocols.%s%s' % (p, suffix) for p in ('raft', 'backup') for suffix in ('', '.partition')]
    + ['io.atomix.core.profile', 'io.atomix.core.profile.impl', '*'])


class Module:
    """One source folder built as an OSGi bundle: its artifactId, the modules of this build it needs,
    and bnd instructions beyond the parent's."""

    def __init__(self, path, artifact, needs=(), **instructions):
        self.path = path
        self.artifact = artifact
        self.needs = list(needs)
        self.instructions = instructions


MODULES = [
    Module('core/store/primitives', 'onos-core-primitives', **{'Import-Package': ATOMIX_DYNAMIC_IMPORTS}),
    Module('core/store/persistence', 'onos-core-persistence'),
    Module('core/store/dist', 'onos-core-dist'),
    Module('core/net', 'onos-core-net', ['onos-core-primitives']),
    Module('protocols/openflow/api', 'onos-protocols-openflow-api'),
    Module('protocols/openflow/ctl', 'onos-protocols-openflow-ctl', ['onos-protocols-openflow-api']),
    Module('drivers/default', 'onos-drivers-default', ['onos-protocols-openflow-api']),
    Module('apps/optical-model', 'onos-apps-optical-model', **{'Karaf-Commands': 'org.onosproject.net.optical.cli'}),
    Module('providers/openflow/device', 'onos-providers-openflow-device',
           ['onos-protocols-openflow-api', 'onos-apps-optical-model']),
    Module('providers/openflow/flow', 'onos-providers-openflow-flow', ['onos-protocols-openflow-api']),
    Module('providers/openflow/packet', 'onos-providers-openflow-packet', ['onos-protocols-openflow-api']),
    Module('providers/openflow/group', 'onos-providers-openflow-group',
           ['onos-protocols-openflow-api', 'onos-providers-openflow-flow']),
    Module('providers/openflow/meter', 'onos-providers-openflow-meter', ['onos-protocols-openflow-api']),
    Module('providers/lldpcommon', 'onos-providers-lldpcommon'),
    Module('providers/lldp', 'onos-providers-lldp', ['onos-providers-lldpcommon'],
           **{'Karaf-Commands': 'org.onosproject.provider.lldp.cli'}),
    Module('providers/host', 'onos-providers-host'),
    # ONOS's reactive forwarding, to run beside tcpsplice as a typical deployment does.
    Module('apps/fwd', 'onos-apps-fwd', ['onos-core-primitives'], **{'Karaf-Commands': 'org.onosproject.fwd'}),
]


class App:
    """An ONOS application archive: name, title, category, the apps it requires, its bundles."""

    def __init__(self, name, title, category, bundles, requires=()):
        self.name = name
        self.title = title
        self.category = category
        self.bundles = bundles
        self.requires = list(requires)

    @property
    def feature(self):
        return self.name.replace('org.onosproject.', 'onos-app-')


def _onos(*artifacts):
    return [(GROUP, a, VERSION) for a in artifacts]


# The apps of ONOS's OpenFlow provider suite (providers/openflow/app), its drivers, and fwd.
APPS = [
    App('org.onosproject.optical-model', 'Optical Network Model', 'Optical', _onos('onos-apps-optical-model')),
    App('org.onosproject.drivers', 'Default Drivers', 'Drivers',
        _onos('onos-drivers-default', 'onos-protocols-openflow-api') + [OPENFLOWJ]),
    App('org.onosproject.openflow-base', 'OpenFlow Base Provider', 'Provider',
        [OPENFLOWJ] + _onos('onos-protocols-openflow-api', 'onos-protocols-openflow-ctl',
                            'onos-providers-openflow-device', 'onos-providers-openflow-packet',
                            'onos-providers-openflow-flow', 'onos-providers-openflow-group',
                            'onos-providers-openflow-meter'),
        requires=['org.onosproject.optical-model']),
    App('org.onosproject.lldpprovider', 'LLDP Link Provider', 'Provider',
        _onos('onos-providers-lldpcommon', 'onos-providers-lldp')),
    App('org.onosproject.hostprovider', 'Host Location Provider', 'Provider', _onos('onos-providers-host')),
    # A suite: ONOS's own archive carries onlab-osgi only so that it is not empty.
    App('org.onosproject.openflow', 'OpenFlow Provider Suite', 'Provider', _onos('onlab-osgi'),
        requires=['org.onosproject.hostprovider', 'org.onosproject.lldpprovider', 'org.onosproject.openflow-base']),
    App('org.onosproject.fwd', 'Reactive Forwarding', 'Traffic Engineering', _onos('onos-apps-fwd')),
]

# The order in which the harness installs and activates them (each after what it requires).
APP_ORDER = ['org.onosproject.optical-model', 'org.onosproject.drivers', 'org.onosproject.openflow-base',
             'org.onosproject.lldpprovider', 'org.onosproject.hostprovider', 'org.onosproject.openflow',
             'org.onosproject.fwd']

# ONOS's core bundles that Central has at 2.7.0, and the ones this build makes.
CORE_FROM_CENTRAL = ['onlab-misc', 'onlab-osgi', 'onlab-rest', 'onos-api', 'onos-core-common',
                     'onos-core-serializers', 'onos-rest', 'onos-cli']
CORE_BUILT = ['onos-core-net', 'onos-core-dist', 'onos-core-primitives', 'onos-core-persistence']

# Karaf features of the core (ONOS's tools/package/features), by name: (description, required features,
# bundles). Versions as ONOS 2.7.0 pins them (deps/deps.json, generate_workspace.bzl).
THIRDPARTY_BASE = [
    'io.atomix/atomix/3.1.9', 'io.atomix/atomix-cluster/3.1.9', 'io.atomix/atomix-primary-backup/3.1.9',
    'io.atomix/atomix-primitive/3.1.9', 'io.atomix/atomix-raft/3.1.9', 'io.atomix/atomix-storage/3.1.9',
    'io.atomix/atomix-utils/3.1.9', 'com.typesafe/config/1.3.2', 'io.github.classgraph/classgraph/4.2.3',
    'commons-lang/commons-lang/2.6', 'org.apache.commons/commons-lang3/3.7', 'org.apache.commons/commons-text/1.3',
    'commons-codec/commons-codec/1.10', 'commons-configuration/commons-configuration/1.10',
    'com.google.guava/guava/22.0', 'io.netty/netty/3.10.5.Final',
] + ['io.netty/%s/4.1.35.Final' % a for a in (
    'netty-common', 'netty-buffer', 'netty-handler', 'netty-codec', 'netty-codec-http', 'netty-codec-http2',
    'netty-codec-socks', 'netty-handler-proxy', 'netty-transport', 'netty-transport-native-epoll',
    'netty-transport-native-unix-common', 'netty-resolver')] + [
    'io.netty/netty-tcnative-boringssl-static/2.0.25.Final', 'commons-pool/commons-pool/1.6',
    'org.apache.commons/commons-math3/3.6.1', 'joda-time/joda-time/2.9.3', 'io.dropwizard.metrics/metrics-core/3.2.2',
    'io.dropwizard.metrics/metrics-json/3.2.2', 'com.eclipsesource.minimal-json/minimal-json/0.9.4',
    'com.esotericsoftware/kryo/4.0.1', 'com.esotericsoftware/reflectasm/1.11.7', 'org.ow2.asm/asm/5.2',
    'com.esotericsoftware/minlog/1.3.0', 'org.objenesis/objenesis/2.6',
    'com.fasterxml.jackson.core/jackson-core/2.11.0', 'com.fasterxml.jackson.core/jackson-annotations/2.11.0',
    'com.fasterxml.jackson.core/jackson-databind/2.11.0', 'commons-collections/commons-collections/3.2.2',
    'com.googlecode.concurrent-trees/concurrent-trees/2.6.1', 'commons-io/commons-io/2.6',
    'commons-jxpath/commons-jxpath/1.3', 'org.mapdb/mapdb/1.0.9', 'org.bouncycastle/bcpkix-jdk15on/1.66',
    'org.bouncycastle/bcprov-jdk15on/1.66', 'commons-beanutils/commons-beanutils/1.9.3',
    'org.knowhowlab.osgi/sigar/1.6.5_01', 'org.osgi/org.osgi.util.function/1.1.0',
    'org.osgi/org.osgi.util.promise/1.1.1', 'javax.xml.bind/jaxb-api/2.3.1',
]
# jdom 1.0 is no OSGi bundle: Karaf wraps it.
WRAPPED = ['jdom/jdom/1.0']
THIRDPARTY_WEB = [
    'org.glassfish.jersey.core/jersey-common/2.27', 'javax.annotation/javax.annotation-api/1.3',
    'javax.ws.rs/javax.ws.rs-api/2.1', 'org.glassfish.hk2/hk2-api/2.5.0-b42', 'org.glassfish.hk2/hk2-locator/2.5.0-b42',
    'org.glassfish.hk2/osgi-resource-locator/1.0.1', 'org.glassfish.hk2.external/javax.inject/2.5.0-b42',
    'org.glassfish.jersey.core/jersey-server/2.27', 'org.glassfish.jersey.inject/jersey-hk2/2.27',
    'org.glassfish.hk2.external/aopalliance-repackaged/2.5.0-b42', 'org.glassfish.hk2/hk2-utils/2.5.0-b42',
    'javax.validation/validation-api/2.0.1.Final', 'org.javassist/javassist/3.22.0-GA',
    'org.glassfish.jersey.containers/jersey-container-servlet/2.27',
    'org.glassfish.jersey.containers/jersey-container-servlet-core/2.27',
    'org.glassfish.jersey.media/jersey-media-multipart/2.27', 'org.glassfish.jersey.core/jersey-client/2.27',
    'org.jvnet.mimepull/mimepull/1.9.6',
]


def coordinates(gav):
    """'group/artifact/version' -> (group, artifact, version)."""
    g, a, v = gav.split('/')
    return g, a, v


def core_features():
    """The features of ONOS's core, in order: (name, description, required features, bundle URLs)."""
    onos = lambda names: ['mvn:%s/%s/%s' % (GROUP, n, VERSION) for n in names]  # noqa: E731
    base = ['mvn:%s' % b for b in THIRDPARTY_BASE] + [
        'wrap:mvn:%s$Bundle-SymbolicName=%s&amp;Bundle-Version=%s'
        % (w, '.'.join(w.split('/')[:2]), w.split('/')[2]) for w in WRAPPED]
    return [
        ('onos-thirdparty-base', 'ONOS 3rd party dependencies', [], base),
        ('onos-thirdparty-web', 'ONOS 3rd party dependencies for web apps', ['war', 'onos-thirdparty-base'],
         ['mvn:%s' % b for b in THIRDPARTY_WEB]),
        ('onos-api', 'ONOS services and model API', ['scr', 'onos-thirdparty-base', 'onos-thirdparty-web'],
         onos(['onlab-misc', 'onlab-osgi', 'onlab-rest', 'onos-api'])),
        ('onos-core', 'ONOS core components', ['onos-api'],
         onos(['onos-core-net', 'onos-core-common', 'onos-core-dist', 'onos-core-primitives',
               'onos-core-persistence', 'onos-core-serializers'])),
        ('onos-rest', 'ONOS REST API components', ['onos-api'], onos(['onos-rest'])),
        ('onos-cli', 'ONOS admin command console components', ['onos-api'], onos(['onos-cli'])),
    ]
