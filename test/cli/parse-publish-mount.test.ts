import { describe, expect, it } from 'vitest';
import { parseMount } from '../../packages/cli/src/parse/mount.js';
import { parsePublish } from '../../packages/cli/src/parse/publish.js';

const port = (publishMode: string) => (publishedPort: number, targetPort: number, protocol = 'tcp') => ({ publishedPort, targetPort, protocol, publishMode });
const ingress = port('ingress');
const host = port('host');

describe('parsePublish', () => {
  it.each([
    ['8080:80', ingress(8080, 80)],
    ['8080:80/udp', ingress(8080, 80, 'udp')],
    ['8080:80/TCP', ingress(8080, 80)],
    ['80', ingress(0, 80)],
    [':80', ingress(0, 80)],
    ['53/udp', ingress(0, 53, 'udp')],
    ['published=8080,target=80', ingress(8080, 80)],
    ['mode=ingress,published=8080,target=80', ingress(8080, 80)],
    ['mode=INGRESS,published=8080,target=80', ingress(8080, 80)],
    ['mode=host,published=8080,target=80', host(8080, 80)],
    ['published=8080,target=80,protocol=udp', ingress(8080, 80, 'udp')],
    ['published=8080,target=80,protocol=udp,mode=host', host(8080, 80, 'udp')],
    ['target=80', ingress(0, 80)],
    ['mode=host,target=80,published=0', host(0, 80)],
    [' published = 1 , target = 2 ', ingress(1, 2)],
  ])('%s', (text, want) => expect(parsePublish(text)).toEqual(want));

  it.each([
    ['mode=host,published=70000,target=80', /published port "70000"/],
    ['published=70000,target=80', /published port "70000"/],
    ['8080:65536', /target port "65536"/],
    ['published=8080,target=0', /target port "0"/],
    ['published=,target', /unknown field "target"/],
    ['published=8080', /missing target/],
    ['mode=bridge,target=80', /unknown mode "bridge" \(ingress or host\)/],
    ['mode=,target=80', /unknown mode ""/],
    ['published=1,target=2,protocol=sctp', /unknown protocol "sctp" \(tcp or udp\)/],
    ['published=1,target=2,ip=1.2.3.4', /unknown field "ip=1.2.3.4"/],
    ['8080:80/sctp', /unknown protocol/],
    ['127.0.0.1:8080:80', /expected PUBLISHED:TARGET/],
    ['http:80', /published port "http"/],
    ['8080:', /expected PUBLISHED:TARGET/],
    ['', /expected PUBLISHED:TARGET/],
  ])('refuses %j', (text, why) => {
    expect(() => parsePublish(text)).toThrow(why);
    expect(() => parsePublish(text)).toThrow(/^invalid publish .*use PUBLISHED:TARGET.*mode=ingress\|host\]$/);
  });
});

describe('parseMount', () => {
  it.each([
    ['type=bind,source=/srv,target=/data', { type: 'bind', source: '/srv', target: '/data', readOnly: false }],
    ['type=bind,src=/srv,dst=/data,readonly', { type: 'bind', source: '/srv', target: '/data', readOnly: true }],
    ['type=bind,source=/srv,destination=/data,ro=true', { type: 'bind', source: '/srv', target: '/data', readOnly: true }],
    ['type=bind,source=/srv,target=/data,readonly=false', { type: 'bind', source: '/srv', target: '/data', readOnly: false }],
    ['type=volume,source=pgdata,target=/var/lib/pg', { type: 'volume', source: 'pgdata', target: '/var/lib/pg', readOnly: false }],
    ['source=pgdata,target=/d', { type: 'volume', source: 'pgdata', target: '/d', readOnly: false }],
    ['type=volume,target=/anon', { type: 'volume', source: '', target: '/anon', readOnly: false }],
    ['type=tmpfs,target=/tmp', { type: 'tmpfs', source: '', target: '/tmp', readOnly: false }],
  ])('%s', (text, want) => expect(parseMount(text)).toEqual(want));

  it.each([
    ['type=bind,source=rel,target=/x', /bind source "rel" is not an absolute path/],
    ['type=bind,target=/x', /a bind mount needs a source/],
    ['type=nfs,source=a,target=/x', /unknown type "nfs"/],
    ['type=volume,source=/abs,target=/x', /not a volume name/],
    ['type=tmpfs,source=x,target=/x', /tmpfs mount takes no source/],
    ['type=bind,source=/a,target=rel', /target "rel" is not an absolute path/],
    ['type=bind,source=/a', /missing target/],
    ['type=bind,source=/a,target=/b,readonly=maybe', /readonly takes true or false/],
    ['type=bind,source=/a,target=/b,bogus=1', /unknown field "bogus=1"/],
  ])('refuses %j', (text, why) => {
    expect(() => parseMount(text)).toThrow(why);
    expect(() => parseMount(text)).toThrow(/^invalid mount .*type=bind\|volume\|tmpfs/);
  });
});
