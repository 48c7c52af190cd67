import { describe, expect, it } from 'vitest';
import {
  generaliseAddress,
  protectQuery,
  protectUrl,
  protectUserAgent,
} from '../../../../sidecar/capture/privacy/http-metadata.js';

describe('HTTP metadata on spans', () => {
  it.each([
    ['', ''],
    ['limit=10&verbose', 'limit=10&verbose'],
    ['email=ann%40example.com&limit=10', 'email=[redacted]&limit=10'],
    ['q=write+to+ann%40example.com', 'q=write%20to%20[email]'],
    ['q=ann@example.com', 'q=[email]'],
    ['card=4111111111111111', 'card=[redacted]'],
    ['ref=4111111111111111', 'ref=[payment_card]'],
    ['user_id=42&model=iris', 'user_id=[redacted]&model=iris'],
    ['bad=%E0%A4%A', 'bad=%E0%A4%A'],
  ])('query %j becomes %j', (query, safe) => {
    expect(protectQuery(query)).toBe(safe);
  });

  it('protects the query of url.full, and leaves its origin (an IP) and path alone', () => {
    expect(protectUrl('http://127.0.0.1:9000/v2/models/iris/infer?email=a%40b.io')).toBe(
      'http://127.0.0.1:9000/v2/models/iris/infer?email=[redacted]',
    );
    expect(protectUrl('http://127.0.0.1:9000/v2/models/iris/infer')).toBe('http://127.0.0.1:9000/v2/models/iris/infer');
  });

  it.each([
    ['curl/8.5.0', 'curl/8.5.0'],
    ['MyBot/1.0 (+contact ann@example.com)', 'MyBot/1.0 (+contact [email])'],
  ])('user agent %j becomes %j', (ua, safe) => {
    expect(protectUserAgent(ua)).toBe(safe);
    expect(protectUserAgent(ua)).toBe(safe); // remembered
  });

  it.each([
    ['203.0.113.42', '203.0.113.0/24'],
    ['::ffff:203.0.113.42', '203.0.113.0/24'],
    ['2001:db8:1:2::5', '2001:db8:1::/48'],
    ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1', 'fe80:0:0::/48'],
  ])('client address %s becomes %s', (address, network) => {
    expect(generaliseAddress(address)).toBe(network);
  });
});
