import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { javaMajorFromRelease, javaMajorFromVersionOutput, javaMajorOf, locateJava } from './java';

describe('Java version detection', () => {
  it.each([
    ['1.8.0_392', 8],
    ['11.0.22', 11],
    ['17.0.15', 17],
    ['21', 21],
    ['25-ea', 25],
  ])('reads %s as Java %d', (version, major) => {
    expect(javaMajorOf(version)).toBe(major);
  });

  it('reads the feature release from a JDK release file', () => {
    const temurin25 = [
      'IMPLEMENTOR="Eclipse Adoptium"',
      'IMPLEMENTOR_VERSION="Temurin-25.0.3+9"',
      'JAVA_RUNTIME_VERSION="25.0.3+9-LTS"',
      'JAVA_VERSION="25.0.3"',
      'JAVA_VERSION_DATE="2026-04-21"',
    ].join('\n');
    expect(javaMajorFromRelease(temurin25)).toBe(25);
    expect(javaMajorFromRelease('JAVA_VERSION="17.0.15"\nJAVA_VERSION_DATE="2025-04-15"\n')).toBe(17);
    expect(javaMajorFromRelease('JAVA_VERSION="1.8.0_392"\n')).toBe(8);
  });

  it('does not mistake JAVA_RUNTIME_VERSION or JAVA_VERSION_DATE for the version', () => {
    expect(javaMajorFromRelease('JAVA_RUNTIME_VERSION="25.0.3+9-LTS"\nJAVA_VERSION_DATE="2026-04-21"\n')).toBeUndefined();
  });

  it('reads the version from `java -version` output', () => {
    const out = 'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n';
    expect(javaMajorFromVersionOutput(out)).toBe(17);
    expect(javaMajorFromVersionOutput('java version "1.8.0_201"\n')).toBe(8);
  });
});

describe('locateJava', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'local-stack-java-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A fake JDK: a release file and an executable bin/java (never run: the release file answers first). */
  function fakeJdk(dir: string, version: string): string {
    const home = path.join(root, dir);
    mkdirSync(path.join(home, 'bin'), { recursive: true });
    writeFileSync(path.join(home, 'release'), `JAVA_VERSION="${version}"\n`);
    writeFileSync(path.join(home, 'bin', 'java'), '#!/bin/sh\nexit 1\n');
    chmodSync(path.join(home, 'bin', 'java'), 0o755);
    return home;
  }

  it('prefers the java on PATH when it is new enough', () => {
    const jdk17 = fakeJdk('jvm/java-17', '17.0.15');
    fakeJdk('jvm/temurin-25', '25.0.3');
    mkdirSync(path.join(root, 'usr-bin'));
    symlinkSync(path.join(jdk17, 'bin', 'java'), path.join(root, 'usr-bin', 'java'));
    const found = locateJava(17, 'Kafka', { searchPath: path.join(root, 'usr-bin'), jvmRoots: [path.join(root, 'jvm')] });
    expect(found).toMatchObject({ home: jdk17, major: 17 });
  });

  it('falls back to the newest JDK under the JVM roots when PATH has an older one', () => {
    const jdk17 = fakeJdk('jvm/java-17', '17.0.15');
    fakeJdk('jvm/temurin-21', '21.0.1');
    const jdk25 = fakeJdk('jvm/temurin-25', '25.0.3');
    const found = locateJava(21, 'the registry', { searchPath: path.join(jdk17, 'bin'), jvmRoots: [path.join(root, 'jvm')] });
    expect(found).toEqual({ home: jdk25, executable: path.join(jdk25, 'bin', 'java'), major: 25 });
  });

  it('tries JAVA_HOME first', () => {
    const jdk21 = fakeJdk('custom/jdk-21', '21.0.1');
    fakeJdk('jvm/temurin-25', '25.0.3');
    expect(locateJava(21, 'x', { javaHome: jdk21, searchPath: '', jvmRoots: [path.join(root, 'jvm')] }).home).toBe(jdk21);
  });

  it('fails naming the requirement and everything it looked at', () => {
    const jdk17 = fakeJdk('jvm/java-17', '17.0.15');
    expect(() => locateJava(21, 'Apicurio Registry 3.3.3', { searchPath: '', jvmRoots: [path.join(root, 'jvm')] })).toThrow(
      expect.objectContaining({
        code: 'STACK_JAVA_MISSING',
        message: expect.stringContaining(`Apicurio Registry 3.3.3 needs Java 21 or newer`) as unknown,
      }) as Error,
    );
    expect(() => locateJava(21, 'x', { searchPath: '', jvmRoots: [path.join(root, 'jvm')] })).toThrow(`${jdk17} → Java 17`);
  });
});
