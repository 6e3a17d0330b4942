"""A live ONOS for the end-to-end tests and the demo: one instance of the distribution that
build_onos.py made, in a folder of its own, started and stopped by the process group it was started in.

    onos = OnosProcess(workdir)            # builds (or finds) the distribution, copies it to workdir
    onos.start()                           # boots Karaf with ONOS's OpenFlow apps, waits for port 6653
    onos.add_user('node1', 'secret')       # an ONOS account with the admin role (node agents log in so)
    onos.install_app('onos-app/target/onos-app-0.1.0-SNAPSHOT.oar')
    onos.cli('tcpsplice-splices')          # a Karaf command, through ONOS's SSH console
    onos.stop()
"""

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build_onos  # noqa: E402
import onos_modules  # noqa: E402

REST_PORT = 8181
SSH_PORT = 8101
ADMIN = ('onos', 'rocks')  # ONOS's default account (tools/package/etc/users.properties)
JDK17 = '/usr/lib/jvm/java-17-openjdk-amd64'
# ONOS 2.7 targets Java 11; on 17 its Kryo, Netty and Atomix reach into these JDK packages.
ADD_OPENS = ['java.base/' + p for p in (
    'java.nio', 'sun.nio.ch', 'java.lang', 'java.lang.invoke', 'java.util', 'java.util.concurrent',
    'java.util.concurrent.atomic', 'java.lang.reflect', 'java.io', 'java.net', 'java.text', 'java.time',
    'java.math', 'java.util.regex', 'jdk.internal.misc')]


class OnosError(AssertionError):
    pass


def basic(user, password):
    """An Authorization header's value for HTTP Basic."""
    return 'Basic ' + base64.b64encode(('%s:%s' % (user, password)).encode()).decode()


def http_call(url, method='GET', body=None, authorization=None, content_type='application/json', headers=None,
              timeout=10):
    """One HTTP call; returns (status, parsed JSON or text). Raises OSError when nothing answers."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method)
    if authorization:
        req.add_header('Authorization', authorization)
    if data is not None:
        req.add_header('Content-Type', content_type)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, text = r.status, r.read().decode(errors='replace')
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode(errors='replace')
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text


class OnosProcess:
    def __init__(self, workdir, log=print, host='127.0.0.1', started=None, stopped=None, netns=None, java_opts=''):
        """started(pid), stopped(pid): told when Karaf's process group begins and has ended (the
        harness keeps a ledger of what it started). netns: run inside this network namespace (host is
        then its address); java_opts: added to the JVM's options (a cluster's metadata file)."""
        self.workdir = workdir
        self.log = log
        self.host = host
        self.netns = netns
        self.java_opts = java_opts
        self.started = started or (lambda pid: None)
        self.stopped = stopped or (lambda pid: None)
        self.proc = None
        self.home = None
        self.distribution = None
        self.cli_key = None

    # ------------------------------------------------------------------ lifecycle

    def prepare(self):
        """The distribution (built once per set of inputs) copied into workdir/onos: hard links for
        what ONOS only reads, real copies of etc/ (the harness writes users into it)."""
        if os.environ.get('ONOS_HOME'):
            # An installed ONOS: used as it is, but for the accounts and the CLI key the harness adds to its etc/.
            self.home = os.environ['ONOS_HOME']
            self.distribution = None
            self.authorize_cli_key()
            return
        self.distribution = build_onos.build(os.environ.get('ONOS_SRC') or build_onos.DEFAULT_SOURCE,
                                             os.path.join(build_onos.REPO, 'build', 'onos'))
        self.home = os.path.join(self.workdir, 'onos')
        shutil.rmtree(self.home, ignore_errors=True)
        subprocess.run(['cp', '-al', os.path.join(self.distribution, 'karaf'), self.home], check=True)
        etc = os.path.join(self.home, 'etc')
        shutil.rmtree(etc)
        shutil.copytree(os.path.join(self.distribution, 'karaf', 'etc'), etc)
        self.stage_apps()
        self.authorize_cli_key()

    def stage_apps(self):
        """ONOS's own apps placed as ONOS's distribution ships them: each archive expanded in
        ../apps/<name>/ (ONOS's application archive is the folder above Karaf's), marked active, its
        bundles already in system/; ONOS activates them at boot, each after the apps it requires.
        Installed over REST instead, each archive's bundles are copied into system/ with the file
        replaced, while Karaf may still be reading it for the app before (drivers and openflow-base
        both carry openflowj): about one boot in twenty-five found the jar missing, and 6653 never
        opened."""
        apps = os.path.join(self.workdir, 'apps')
        shutil.rmtree(apps, ignore_errors=True)
        system = os.path.join(self.home, 'system')
        for name in onos_modules.APP_ORDER:
            oar = os.path.join(self.distribution, 'apps', name + '.oar')
            folder = os.path.join(apps, name)
            os.makedirs(folder)
            with zipfile.ZipFile(oar) as z:
                z.extractall(folder)
                for entry in z.namelist():
                    # system/ is hard links into the distribution: only add what is not there yet
                    target = os.path.join(system, os.path.relpath(entry, 'm2'))
                    if entry.startswith('m2/') and not entry.endswith('/') and not os.path.exists(target):
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        shutil.copyfile(os.path.join(folder, entry), target)
            shutil.copyfile(oar, os.path.join(folder, name + '.oar'))
            open(os.path.join(folder, 'active'), 'w').close()

    def authorize_cli_key(self):
        """A key pair for cli(), its public half authorized for ONOS's admin in etc/keys.properties.
        Karaf's own client (bin/client, Apache SSHD 1.7) authenticates and then prints only "Closed"
        for a command under JDK 17; its server runs commands for OpenSSH's client."""
        self.cli_key = os.path.join(self.workdir, 'onos-cli-key')
        for f in (self.cli_key, self.cli_key + '.pub'):
            if os.path.exists(f):
                os.remove(f)
        subprocess.run(['ssh-keygen', '-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', self.cli_key], check=True)
        with open(self.cli_key + '.pub') as f:
            public = f.read().split()[1]
        with open(os.path.join(self.home, 'etc', 'keys.properties'), 'a') as f:
            f.write('\n%s=%s,_g_:admingroup\n' % (ADMIN[0], public))

    def cli(self, command, timeout=60):
        """Runs a Karaf console command (ONOS's CLI) over SSH on port 8101; returns (exit status, output)
        with ANSI colours taken out."""
        r = subprocess.run(['ssh', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
                            '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes',
                            # Karaf 4.2.9's SSH server offers RSA with SHA-1 signatures only
                            '-o', 'PubkeyAcceptedAlgorithms=+ssh-rsa', '-o', 'HostKeyAlgorithms=+ssh-rsa',
                            '-i', self.cli_key, '-p', str(SSH_PORT), '%s@%s' % (ADMIN[0], self.host), command],
                           capture_output=True, text=True, timeout=timeout)
        return r.returncode, re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', r.stdout + r.stderr)

    def start(self, timeout=240):
        if self.home is None:
            self.prepare()
        for port in (REST_PORT, 6653):
            if self.port_open(port):
                raise OnosError('port %d is taken on %s: another ONOS or controller runs; stop it first' % (port, self.host))
        env = dict(os.environ)
        env['JAVA_HOME'] = env.get('TCPSPLICE_ONOS_JAVA_HOME', JDK17)
        env['EXTRA_JAVA_OPTS'] = ' '.join('--add-opens %s=ALL-UNNAMED' % p for p in ADD_OPENS) + \
            ' -Dio.netty.tryReflectionSetAccessible=true'
        env['JAVA_OPTS'] = '-XX:+UseG1GC -Xms512m -Xmx2g -Dds.lock.timeout.milliseconds=10000 ' + self.java_opts
        logfile = open(os.path.join(self.workdir, 'onos-console.log'), 'ab')
        self.log('onos: starting Karaf in %s' % self.home)
        started = time.time()
        # A session of its own: stop() ends Karaf's shell script and its JVM together, by this group.
        command = [os.path.join(self.home, 'bin', 'karaf'), 'server']
        if self.netns:
            command = ['ip', 'netns', 'exec', self.netns] + command
        self.proc = subprocess.Popen(command, env=env, cwd=self.home,
                                     stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True)
        self.started(self.proc.pid)
        try:
            self.wait_for(lambda: self.rest('v1/applications')[0] == 200, timeout, "ONOS's REST API")
            self.log('onos: REST API up after %.0f s' % (time.time() - started))
            if self.distribution:
                for name in onos_modules.APP_ORDER:
                    self.wait_for(lambda: self.app_state(name) == 'ACTIVE', 120, '%s to be active' % name)
            self.wait_for(lambda: self.port_open(6653), 120, 'OpenFlow on port 6653')
        except OnosError as e:
            dump = self.thread_dump(os.path.join(self.workdir, 'onos-start-threads.txt'))
            self.stop()
            raise OnosError('%s%s' % (e, '; its threads: ' + dump if dump else '')) from e
        except BaseException:
            self.stop()
            raise
        self.log('onos: ready after %.0f s' % (time.time() - started))

    def thread_dump(self, path):
        """Every thread's stack of ONOS's JVM (jcmd Thread.print) into path, for a start that hung (seen
        twice: Karaf's log stopped after start level 100 and the REST API never answered); path, or None."""
        if self.proc is None:
            return None
        jvm = subprocess.run(['pgrep', '-g', str(self.proc.pid), '-x', 'java'], capture_output=True, text=True).stdout.split()
        if not jvm:
            return None
        try:
            r = subprocess.run(['jcmd', jvm[0], 'Thread.print'], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if r.returncode != 0:
            return None
        with open(path, 'w') as f:
            f.write(r.stdout)
        return path

    def stop(self, timeout=60):
        """SIGTERM to Karaf's process group, then waits until every process of it has gone (the JVM
        outlives its shell script by seconds and holds the ports meanwhile); SIGKILL after timeout."""
        if self.proc is None:
            return
        group = self.proc.pid
        deadline = time.time() + timeout
        sig = signal.SIGTERM
        while True:
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            self.proc.poll()  # reaps the shell script; the group lives on in the JVM
            sig = 0 if time.time() < deadline else signal.SIGKILL
            time.sleep(0.5)
        self.proc.wait(10)
        self.stopped(group)
        self.proc = None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # ------------------------------------------------------------------ ONOS's REST API

    def rest(self, path, method='GET', body=None, content_type='application/json', user=ADMIN, timeout=30):
        """Calls http://host:8181/onos/<path>; returns (status, parsed JSON or text). (0, reason) when
        nothing answers."""
        try:
            return http_call('http://%s:%d/onos/%s' % (self.host, REST_PORT, path), method, body,
                             basic(*user) if user else None, content_type=content_type, timeout=timeout)
        except (OSError, urllib.error.URLError) as e:
            return 0, str(e)

    def install_app(self, oar, activate=True):
        """Installs an application archive (as ONOS's onos-app tool does: POST /onos/v1/applications) and
        activates it; an app installed already is activated again."""
        with open(oar, 'rb') as f:
            status, body = self.rest('v1/applications' + ('?activate=true' if activate else ''), 'POST', f.read(),
                                     content_type='application/octet-stream', timeout=120)
        if status == 409:  # installed already
            return
        if status != 200:
            raise OnosError('installing %s: %d %s' % (os.path.basename(oar), status, body))
        name = body['name']
        if activate:
            self.wait_for(lambda: self.app_state(name) == 'ACTIVE', 60, '%s to be active' % name)

    def app_state(self, name):
        status, body = self.rest('v1/applications/' + name)
        return body.get('state') if status == 200 else None

    def set_app_active(self, name, active):
        status, body = self.rest('v1/applications/%s/active' % name, 'POST' if active else 'DELETE')
        if status not in (200, 204):
            raise OnosError('%s %s: %d %s' % ('activating' if active else 'deactivating', name, status, body))
        self.wait_for(lambda: self.app_state(name) == ('ACTIVE' if active else 'INSTALLED'), 60,
                      '%s to be %s' % (name, 'active' if active else 'inactive'))

    def uninstall_app(self, name):
        self.rest('v1/applications/' + name, 'DELETE')

    def netcfg(self, config):
        """Adds to ONOS's network configuration (POST /onos/v1/network/configuration)."""
        status, body = self.rest('v1/network/configuration', 'POST', json.dumps(config))
        if status != 200:
            raise OnosError('network configuration: %d %s' % (status, body))

    def add_user(self, name, password):
        """An ONOS account with the admin group (ONOS refuses writes from others); Karaf reads
        etc/users.properties again when it changes."""
        with open(os.path.join(self.home, 'etc', 'users.properties'), 'a') as f:
            f.write('\n%s = %s,_g_:admingroup\n' % (name, password))

    # ------------------------------------------------------------------ waiting

    def port_open(self, port):
        import socket
        try:
            with socket.create_connection((self.host, port), timeout=1):
                return True
        except OSError:
            return False

    def wait_for(self, condition, seconds, what, every=0.5):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise OnosError('ONOS exited (%s) while waiting for %s; see %s'
                                % (self.proc.returncode, what, os.path.join(self.workdir, 'onos-console.log')))
            if condition():
                return
            time.sleep(every)
        raise OnosError('timed out after %ds waiting for %s; ONOS log: %s'
                        % (seconds, what, os.path.join(self.home or '?', 'data', 'log', 'karaf.log')))
