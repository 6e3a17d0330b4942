#!/usr/bin/env python3
"""Builds a minimal ONOS 2.7.0 (Karaf 4.2.9, ONOS's core, its OpenFlow providers and drivers, and its
reactive forwarding app) with Maven alone, and prints the folder it is in.

    python3 onos-live/build_onos.py [--out DIR] [--source TARBALL_OR_TREE]

Inputs: ONOS's source, from ONOS_SRC (an ONOS source tree at tag 2.7.0) or else the subset tarball in
../shared/onos/; Karaf and everything else from Maven Central. The result is cached in
DIR/<hash of the inputs> (DIR: build/onos in the repository): a second run with the same inputs
prints the same folder at once. With ONOS_HOME set (an installed ONOS 2.7), nothing is built; the
apps it needs are then expected to be installed in it already.

The folder holds `karaf/` (the distribution; start it with onos_process.py) and `apps/*.oar` (ONOS's
OpenFlow suite, drivers and fwd, to install through ONOS's REST API). Fixes for JDK 17 follow the
measured note in ../shared/onos/README.md.
"""

import argparse
import hashlib
import re
import os
import shutil
import subprocess
import sys
import tarfile
from xml.etree import ElementTree
import zipfile

import onos_modules as m

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_SOURCE = os.path.join(os.path.dirname(REPO), 'shared', 'onos', 'onos-2.7.0-src-subset.tar.gz')
M2 = os.path.expanduser('~/.m2/repository')


def log(msg):
    print('build-onos: ' + msg, file=sys.stderr, flush=True)


def run(cmd, cwd=None, logfile=None):
    log('$ ' + ' '.join(cmd) + ('  (log: %s)' % logfile if logfile else ''))
    out = open(logfile, 'w') if logfile else None
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=out or subprocess.DEVNULL, stderr=subprocess.STDOUT)
    finally:
        if out:
            out.close()
    if r.returncode != 0:
        tail = open(logfile, errors='replace').read()[-4000:] if logfile else ''
        raise SystemExit('build-onos: failed (%d): %s\n%s' % (r.returncode, ' '.join(cmd), tail))


# ------------------------------------------------------------------ inputs and cache


def source_digest(source):
    """A digest of ONOS's source: the tarball's bytes, or a tree's relative paths, sizes and bytes."""
    h = hashlib.sha256()
    if os.path.isfile(source):
        with open(source, 'rb') as f:
            for chunk in iter(lambda: f.read(1 << 20), b''):
                h.update(chunk)
        return h.hexdigest()
    for top in sorted({mod.path for mod in m.MODULES} | {'tools/package'}):
        for root, dirs, files in os.walk(os.path.join(source, top)):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                h.update(os.path.relpath(path, source).encode())
                with open(path, 'rb') as f:
                    h.update(f.read())
    return h.hexdigest()


def build_digest(source):
    """What the distribution depends on: the source, and this build's own files."""
    h = hashlib.sha256(source_digest(source).encode())
    for name in ('build_onos.py', 'onos_modules.py'):
        with open(os.path.join(HERE, name), 'rb') as f:
            h.update(name.encode() + f.read())
    return h.hexdigest()[:16]


def unpack_source(source, dest):
    """ONOS's source into dest (a copy: the build writes its poms into it)."""
    if os.path.isfile(source):
        with tarfile.open(source) as t:
            t.extractall(dest)
        (top,) = [d for d in os.listdir(dest) if os.path.isdir(os.path.join(dest, d))]
        return os.path.join(dest, top)
    tree = os.path.join(dest, 'onos')
    for top in sorted({mod.path for mod in m.MODULES} | {'tools/package'}):
        shutil.copytree(os.path.join(source, top), os.path.join(tree, top))
    return tree


# ------------------------------------------------------------------ the modules, with Maven


def dep(group, artifact, version='${onos.version}', scope='provided', extra=''):
    return ('    <dependency><groupId>%s</groupId><artifactId>%s</artifactId>%s<scope>%s</scope>%s</dependency>\n'
            % (group, artifact, '<version>%s</version>' % version if version else '', scope, extra))


# What every module compiles against; the versions not given come from onos-dependencies.
PARENT_DEPENDENCIES = [
    # ahead of osgi.cmpn, whose older org.osgi.util.promise lacks Promise.timeout (core/net needs it)
    ('org.osgi', 'org.osgi.util.promise', '1.1.1'), ('org.osgi', 'org.osgi.util.function', '1.1.0'),
] + [(m.GROUP, a, '${onos.version}') for a in
     ('onos-api', 'onlab-misc', 'onlab-osgi', 'onlab-rest', 'onos-core-common', 'onos-core-serializers', 'onos-cli')] + [
    m.OPENFLOWJ,
    ('org.apache.karaf.shell', 'org.apache.karaf.shell.core', None),
    ('org.apache.karaf.features', 'org.apache.karaf.features.core', None),
    ('org.apache.karaf.system', 'org.apache.karaf.system.core', None),
    ('org.osgi', 'org.osgi.core', None), ('org.osgi', 'osgi.cmpn', None),
    ('org.osgi', 'org.osgi.service.component.annotations', None), ('org.osgi', 'org.osgi.service.component', None),
    ('org.osgi', 'org.osgi.service.metatype.annotations', None), ('org.osgi', 'org.osgi.service.cm', '1.6.0'),
    ('org.slf4j', 'slf4j-api', None), ('com.google.guava', 'guava', None),
    ('com.google.code.findbugs', 'jsr305', None),
    ('com.fasterxml.jackson.core', 'jackson-databind', None), ('com.fasterxml.jackson.core', 'jackson-annotations', None),
    ('com.fasterxml.jackson.core', 'jackson-core', None), ('com.esotericsoftware', 'kryo', None),
    ('io.dropwizard.metrics', 'metrics-core', '3.2.2'), ('io.dropwizard.metrics', 'metrics-json', '3.2.2'),
] + [('io.netty', a, '4.1.35.Final') for a in
     ('netty-buffer', 'netty-common', 'netty-transport', 'netty-codec', 'netty-handler', 'netty-resolver',
      'netty-transport-native-epoll', 'netty-transport-native-unix-common')] + [
    ('io.atomix', a, '3.1.9') for a in
    ('atomix', 'atomix-cluster', 'atomix-primary-backup', 'atomix-primitive', 'atomix-raft', 'atomix-storage',
     'atomix-utils')] + [
    ('org.mapdb', 'mapdb', '1.0.9'), ('org.apache.commons', 'commons-math3', '3.6.1'),
    ('org.apache.commons', 'commons-lang3', None), ('commons-lang', 'commons-lang', None),
    ('javax.ws.rs', 'javax.ws.rs-api', None),
]

PARENT_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <!-- ONOS's own parent for apps; its ErrorProne, checkstyle (onos-build-conf is not on Central) and
       bnd 4 (ConcurrentModificationException on JDK 17) are turned off or replaced below. -->
  <parent><groupId>org.onosproject</groupId><artifactId>onos-dependencies</artifactId><version>%(v)s</version><relativePath/></parent>
  <artifactId>tcpsplice-onos-build</artifactId>
  <packaging>pom</packaging>
  <properties><checkstyle.skip>true</checkstyle.skip><maven.test.skip>true</maven.test.skip></properties>
  <modules>
%(modules)s  </modules>
  <dependencies>
%(deps)s  </dependencies>
  <build>
    <pluginManagement><plugins>
      <plugin><groupId>org.apache.felix</groupId><artifactId>maven-bundle-plugin</artifactId><version>5.1.9</version>
        <configuration><instructions>
          <!-- bnd 6 would import java.*, which Felix 5.6 (Karaf 4.2.9) refuses -->
          <_noimportjava>true</_noimportjava>
          <Export-Package>{local-packages}</Export-Package>
        </instructions></configuration></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.8.0</version>
        <configuration combine.self="override"><release>11</release><encoding>UTF-8</encoding></configuration></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-checkstyle-plugin</artifactId>
        <executions><execution><id>validate-checkstyle</id><phase>none</phase></execution></executions></plugin>
    </plugins></pluginManagement>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-checkstyle-plugin</artifactId>
        <executions><execution><id>validate-checkstyle</id><phase>none</phase></execution></executions></plugin>
      <!-- component configuration definitions (.cfgdef) and swagger, as Bazel's osgi_jar does -->
      <plugin><groupId>org.onosproject</groupId><artifactId>onos-maven-plugin</artifactId></plugin>
    </plugins>
  </build>
</project>
"""

MODULE_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.onosproject</groupId><artifactId>tcpsplice-onos-build</artifactId><version>%(v)s</version><relativePath>%(parent)s</relativePath></parent>
  <artifactId>%(artifact)s</artifactId>
  <packaging>bundle</packaging>
  <dependencies>
%(deps)s  </dependencies>
  <build><plugins><plugin><groupId>org.apache.felix</groupId><artifactId>maven-bundle-plugin</artifactId>
    <configuration><instructions><Bundle-Name>%(artifact)s</Bundle-Name>%(instructions)s</instructions></configuration>
  </plugin></plugins></build>
</project>
"""


def write_poms(tree):
    build_dir = os.path.join(tree, 'tcpsplice-build')
    os.makedirs(build_dir, exist_ok=True)
    modules = ''.join('    <module>../%s</module>\n' % mod.path for mod in m.MODULES)
    deps = ''.join(dep(g, a, v) for g, a, v in PARENT_DEPENDENCIES)
    with open(os.path.join(build_dir, 'pom.xml'), 'w') as f:
        f.write(PARENT_POM % {'v': m.VERSION, 'modules': modules, 'deps': deps})
    for mod in m.MODULES:
        module_dir = os.path.join(tree, mod.path)
        instructions = ''.join('<%s>%s</%s>' % (k, v, k) for k, v in mod.instructions.items())
        with open(os.path.join(module_dir, 'pom.xml'), 'w') as f:
            f.write(MODULE_POM % {
                'v': m.VERSION, 'artifact': mod.artifact, 'instructions': instructions,
                'parent': os.path.relpath(os.path.join(build_dir, 'pom.xml'), module_dir),
                'deps': ''.join(dep(m.GROUP, n, '${project.version}') for n in mod.needs)})
    return build_dir


# ------------------------------------------------------------------ Karaf with ONOS in it


def jar_path(group, artifact, version):
    return os.path.join(M2, group.replace('.', '/'), artifact, version, '%s-%s.jar' % (artifact, version))


def features_xml():
    x = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
         '<features xmlns="http://karaf.apache.org/xmlns/features/v1.2.0" name="onos-%s">' % m.VERSION,
         '    <repository>mvn:org.apache.karaf.features/standard/%s/xml/features</repository>' % m.KARAF_VERSION]
    for name, description, requires, bundles in m.core_features():
        x.append('    <feature name="%s" version="%s" description="%s">' % (name, m.VERSION, description))
        x += ['        <feature>%s</feature>' % r for r in requires]
        x += ['        <bundle>%s</bundle>' % b for b in bundles]
        x.append('    </feature>')
    x.append('</features>')
    return '\n'.join(x) + '\n'


# The Karaf features ONOS boots (tools/package/etc/org.apache.karaf.features.cfg) and those its own
# features require.
KARAF_BOOT_FEATURES = ['instance', 'package', 'log', 'ssh', 'framework', 'system', 'eventadmin', 'feature', 'shell',
                       'management', 'service', 'jaas', 'deployer', 'diagnostic', 'wrap', 'bundle', 'config', 'kar',
                       'webconsole', 'scr', 'war']


def karaf_feature_artifacts(karaf):
    """The mvn: artifacts (bundles and configuration files) of the Karaf features ONOS boots, with every
    feature they need and their conditional bundles, as (group, artifact, version, type, classifier). The full Karaf distribution
    ships only some of them in system/ (webconsole's, for one, are missing)."""
    system = os.path.join(karaf, 'system')
    features = {}  # name -> [element, ...] over every repository
    todo = ['mvn:org.apache.karaf.features/%s/%s/xml/features' % (n, m.KARAF_VERSION)
            for n in ('standard', 'framework', 'enterprise', 'spring')]
    seen = set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        path = repository_path(system, *parse_mvn(url))
        if not os.path.exists(path):
            raise SystemExit('build-onos: Karaf feature repository %s is not in %s' % (url, system))
        root = ElementTree.parse(path).getroot()
        todo += [r.text.strip() for r in root.iter() if local(r.tag) == 'repository']
        for f in root:
            if local(f.tag) == 'feature':
                features.setdefault(f.get('name'), []).append(f)
    artifacts, wanted, done = set(), list(KARAF_BOOT_FEATURES), set()
    while wanted:
        name = wanted.pop()
        if name in done:
            continue
        done.add(name)
        for f in features.get(name, []):
            for e in f.iter():
                if local(e.tag) == 'feature' and e is not f and e.text:
                    wanted.append(e.text.strip())
                elif local(e.tag) in ('bundle', 'configfile') and e.text:
                    ref = re.search(r'mvn:[^$\s]+', e.text)
                    if ref:
                        artifacts.add(parse_mvn(ref.group(0)))
    return artifacts


def local(tag):
    return tag.rsplit('}', 1)[-1]


def parse_mvn(url):
    parts = url[len('mvn:'):].split('/')
    g, a, v = parts[:3]
    t = parts[3] if len(parts) > 3 and parts[3] else 'jar'
    c = parts[4] if len(parts) > 4 else ''
    return g, a, v, t, c


def repository_path(repo, g, a, v, t, c):
    return os.path.join(repo, g.replace('.', '/'), a, v, '%s-%s%s.%s' % (a, v, '-' + c if c else '', t))


def fill_system_repository(karaf, work):
    """Every bundle of ONOS's core features, and of the Karaf features it boots, into Karaf's system/
    folder (a Maven repository in layout), so that the distribution needs no repository at run time."""
    artifacts = [m.coordinates(b) + ('jar', '') for b in m.THIRDPARTY_BASE + m.THIRDPARTY_WEB + m.WRAPPED]
    artifacts += [(m.GROUP, a, m.VERSION, 'jar', '') for a in m.CORE_FROM_CENTRAL + m.CORE_BUILT]
    system = os.path.join(karaf, 'system')
    missing = [a for a in sorted(karaf_feature_artifacts(karaf)) if not os.path.exists(repository_path(system, *a))]
    log('%d bundles of the Karaf features ONOS boots are not in the distribution; fetching them' % len(missing))
    copy_to_repository(artifacts + missing, system, os.path.join(work, 'system-repository'))
    features = os.path.join(system, 'org', 'onosproject', 'onos-features', m.VERSION)
    os.makedirs(features, exist_ok=True)
    with open(os.path.join(features, 'onos-features-%s-features.xml' % m.VERSION), 'w') as f:
        f.write(features_xml())


GET_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.tcpsplice</groupId><artifactId>onos-system-repository</artifactId><version>1</version><packaging>pom</packaging>
  <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId>
    <version>2.8</version><executions>
%s    </executions>
  </plugin></plugins></build>
</project>
"""


def copy_to_repository(artifacts, repository, work):
    """Copies (group, artifact, version, type, classifier) artifacts from Maven Central into a repository
    folder, each where Maven's layout puts it, without what they depend on. dependency:get with
    transitive=false is the one goal that does not read the artifact's parent pom (some of Karaf's
    name parents that Central lacks); one execution an artifact, all in one Maven run."""
    artifacts = sorted(set(artifacts))
    executions = ''.join(
        '      <execution><id>get-%d</id><phase>validate</phase><goals><goal>get</goal></goals><configuration>'
        '<artifact>%s:%s:%s:%s%s</artifact><transitive>false</transitive></configuration></execution>\n'
        % (i, g, a, v, t, ':' + c if c else '') for i, (g, a, v, t, c) in enumerate(artifacts))
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, 'pom.xml'), 'w') as f:
        f.write(GET_POM % executions)
    run(['mvn', '-B', '-ntp', 'validate'], cwd=work, logfile=os.path.join(work, 'get.log'))
    for art in artifacts:
        target = repository_path(repository, *art)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(repository_path(M2, *art), target)


def replace_in(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        raise SystemExit('build-onos: %r not found in %s' % (old, path))
    with open(path, 'w') as f:
        f.write(text.replace(old, new))


def append_to(path, text):
    with open(path, 'a') as f:
        f.write(text)


# Karaf 4.2.9 knows Java up to 11; ONOS runs here on JDK 17 (shared/onos/README.md).
JRE_ALIASES = ''.join('jre-%d = ${jre-11}\n' % v for v in range(12, 18))
EECAP_17 = """
eecap-17= osgi.ee; osgi.ee="OSGi/Minimum"; version:List<Version>="1.0,1.1,1.2", \\
 osgi.ee; osgi.ee="JavaSE"; version:List<Version>="1.0,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,9.0,10.0,11.0,12.0,13.0,14.0,15.0,16.0,17.0", \\
 osgi.ee; osgi.ee="JRE"; version:List<Version>="1.0,1.1", \\
 osgi.ee; osgi.ee="JavaSE/compact1"; version:List<Version>="1.8,9.0,10.0,11.0", \\
 osgi.ee; osgi.ee="JavaSE/compact2"; version:List<Version>="1.8,9.0,10.0,11.0", \\
 osgi.ee; osgi.ee="JavaSE/compact3"; version:List<Version>="1.8,9.0,10.0,11.0"
"""
# Bundles of Karaf 4.2.9 that cannot read Java 17 class files (spifly's "Unsupported class file major
# version 61" kept pax-web from starting), the versions that can, and which versions they replace
# (asm 5.2, which kryo uses, stays).
OVERRIDES = [('org.ow2.asm', a, '9.6', '[8,10)') for a in ('asm', 'asm-commons', 'asm-tree', 'asm-util', 'asm-analysis')] + [
    ('org.apache.aries.proxy', 'org.apache.aries.proxy', '1.1.14', '[1.1,2)'),
    ('org.apache.aries.spifly', 'org.apache.aries.spifly.dynamic.bundle', '1.3.7', '[1.2,2)'),
] + [('org.apache.xbean', a, '4.20', '[4.17,5)') for a in ('xbean-finder', 'xbean-bundleutils', 'xbean-reflect')]
PAX_URL = """# Only the distribution's own repository: nothing is fetched at run time.
org.ops4j.pax.url.mvn.useFallbackRepositories=false
org.ops4j.pax.url.mvn.offline=true
org.ops4j.pax.url.mvn.localRepository=${karaf.home}/system
org.ops4j.pax.url.mvn.defaultRepositories=file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,\\
    file:${karaf.data}/kar@id=kar.repository@multi@snapshots
org.ops4j.pax.url.mvn.repositories=
"""


def assemble_karaf(tree, work, out):
    """Karaf 4.2.9 with ONOS's etc/ and bin/ (what ONOS's tools/package/onos-prep-karaf does), for JDK 17."""
    run(['mvn', '-B', '-ntp', 'dependency:copy', '-Dartifact=org.apache.karaf:apache-karaf:%s:tar.gz' % m.KARAF_VERSION,
         '-DoutputDirectory=' + work], cwd=work, logfile=os.path.join(work, 'karaf-download.log'))
    with tarfile.open(os.path.join(work, 'apache-karaf-%s.tar.gz' % m.KARAF_VERSION)) as t:
        t.extractall(work)
    karaf = os.path.join(out, 'karaf')
    shutil.move(os.path.join(work, 'apache-karaf-%s' % m.KARAF_VERSION), karaf)
    shutil.rmtree(os.path.join(karaf, 'demos'), ignore_errors=True)
    package = os.path.join(tree, 'tools', 'package')
    for name in os.listdir(os.path.join(package, 'etc')):
        shutil.copy(os.path.join(package, 'etc', name), os.path.join(karaf, 'etc', name))
    etc = os.path.join(karaf, 'etc')
    replace_in(os.path.join(etc, 'org.apache.karaf.features.cfg'), '$ONOS_VERSION', m.VERSION)
    # ONOS's startup adds a Kafka log appender and its own log4j2 extras; neither is built here.
    startup = os.path.join(etc, 'startup.properties')
    with open(startup) as f:
        lines = [ln for ln in f if 'kafka-clients' not in ln and 'onos-log4j2-extra' not in ln]
    with open(startup, 'w') as f:
        f.writelines(lines)
    append_to(os.path.join(etc, 'jre.properties'), '\n' + JRE_ALIASES)
    append_to(os.path.join(etc, 'config.properties'), EECAP_17)
    with open(os.path.join(etc, 'org.ops4j.pax.url.mvn.cfg'), 'w') as f:
        f.write(PAX_URL)
    with open(os.path.join(etc, 'overrides.properties'), 'w') as f:
        f.write('# Karaf %s bundles that cannot read Java 17 class files, replaced\n' % m.KARAF_VERSION)
        f.writelines('mvn:%s/%s/%s;range="%s"\n' % o for o in OVERRIDES)
    # The overriding bundles must be in the system repository too.
    copy_to_repository([(g, a, v, 'jar', '') for g, a, v, _ in OVERRIDES], os.path.join(karaf, 'system'),
                       os.path.join(work, 'overrides'))
    return karaf


def write_oar(app, apps_dir):
    """An ONOS application archive: app.xml, a features XML and the bundles under m2/."""
    feature_xml = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                   '<features xmlns="http://karaf.apache.org/xmlns/features/v1.2.0" name="%s-%s">' % (app.feature, m.VERSION),
                   '    <feature name="%s" version="%s" description="%s">' % (app.feature, m.VERSION, app.title),
                   '        <feature>onos-api</feature>']
    feature_xml += ['        <bundle>mvn:%s/%s/%s</bundle>' % b for b in app.bundles]
    feature_xml += ['    </feature>', '</features>', '']
    app_xml = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<app name="%s" origin="ONOS Community" version="%s" title="%s" category="%s" url="http://onosproject.org"'
               ' featuresRepo="mvn:%s/%s/%s/xml/features" features="%s" apps="%s">'
               % (app.name, m.VERSION, app.title, app.category, m.GROUP, app.feature, m.VERSION, app.feature,
                  ','.join(app.requires)),
               '    <description>%s</description>' % app.title]
    app_xml += ['    <artifact>mvn:%s/%s/%s</artifact>' % b for b in app.bundles]
    app_xml += ['</app>', '']
    m2 = 'm2/' + m.GROUP.replace('.', '/')
    with zipfile.ZipFile(os.path.join(apps_dir, app.name + '.oar'), 'w') as z:
        z.writestr('app.xml', '\n'.join(app_xml))
        z.writestr('%s/%s/%s/%s-%s-features.xml' % (m2, app.feature, m.VERSION, app.feature, m.VERSION),
                   '\n'.join(feature_xml))
        for g, a, v in app.bundles:
            path = jar_path(g, a, v)
            if not os.path.exists(path):
                raise SystemExit('build-onos: %s is missing for %s' % (path, app.name))
            z.write(path, 'm2/%s/%s/%s/%s-%s.jar' % (g.replace('.', '/'), a, v, a, v))


def build(source, out_root):
    key = build_digest(source)
    out = os.path.join(out_root, key)
    if os.path.exists(os.path.join(out, 'READY')):
        log('cached: %s (inputs unchanged)' % out)
        return out
    log('building ONOS %s into %s (about 4 minutes cold)' % (m.VERSION, out))
    shutil.rmtree(out, ignore_errors=True)
    work = os.path.join(out, 'work')
    os.makedirs(work)
    tree = unpack_source(source, os.path.join(work, 'src'))
    build_dir = write_poms(tree)
    run(['mvn', '-B', '-ntp', 'install'], cwd=build_dir, logfile=os.path.join(work, 'modules.log'))
    karaf = assemble_karaf(tree, work, out)
    fill_system_repository(karaf, work)
    # openflowj from Central, for the apps that carry it
    run(['mvn', '-B', '-ntp', 'dependency:get', '-Dartifact=%s:%s:%s' % m.OPENFLOWJ, '-Dtransitive=false'],
        cwd=work, logfile=os.path.join(work, 'openflowj.log'))
    apps = os.path.join(out, 'apps')
    os.makedirs(apps)
    for app in m.APPS:
        write_oar(app, apps)
    shutil.rmtree(os.path.join(work, 'src'))
    with open(os.path.join(out, 'READY'), 'w') as f:
        f.write('ONOS %s, source digest %s\n' % (m.VERSION, source_digest(source)))
    # Older builds of other inputs are left for their owner to remove; say where they are.
    others = [d for d in os.listdir(out_root) if d != key]
    if others:
        log('older ONOS builds in %s: %s' % (out_root, ', '.join(others)))
    log('built %s' % out)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default=os.path.join(REPO, 'build', 'onos'), help='cache folder (default: build/onos)')
    p.add_argument('--source', default=os.environ.get('ONOS_SRC') or DEFAULT_SOURCE,
                   help='ONOS 2.7.0 source: a tree or the subset tarball (default: $ONOS_SRC, else %(default)s)')
    args = p.parse_args()
    if os.environ.get('ONOS_HOME'):
        print(os.environ['ONOS_HOME'])
        return
    if not os.path.exists(args.source):
        raise SystemExit('build-onos: no ONOS source at %s (set ONOS_SRC to a 2.7.0 tree, or ONOS_HOME to an '
                         'installed ONOS)' % args.source)
    print(build(args.source, os.path.abspath(args.out)))


if __name__ == '__main__':
    main()
