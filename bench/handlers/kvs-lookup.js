// Routing from a KeyValueStore (2.0): the path's rule (JSON: a redirect or a rewrite) and the
// site-wide feature flags come from the store associated with the function; a missing key means
// "no rule" (KeyNotFound), as in AWS's key-value-store samples.
import cf from 'cloudfront';

const kvsHandle = cf.kvs();

async function ruleFor(path) {
  try {
    return await kvsHandle.get('rule:' + path, { format: 'json' });
  } catch (err) {
    return null;
  }
}

async function handler(event) {
  const request = event.request;
  const path = request.uri.replace(/\/+$/, '') || '/';
  const rule = await ruleFor(path);
  if (rule && rule.redirect) {
    return {
      statusCode: rule.status || 302,
      statusDescription: 'Found',
      headers: { location: { value: rule.redirect }, 'cache-control': { value: 'max-age=300' } },
    };
  }
  if (rule && rule.rewrite) request.uri = rule.rewrite;
  let flags = '';
  try {
    flags = await kvsHandle.get('flags');
  } catch (err) {
    flags = '';
  }
  request.headers['x-feature-flags'] = { value: flags };
  request.headers['x-rule'] = { value: rule ? 'hit' : 'miss' };
  return request;
}
