const { readFileSync, statSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * How `jest --shard=K/N` splits the files, for .ci/run's two lanes: shard 1 runs on the
 * PostgreSQL server, shard 2 on the embedded database. A file that tests what only a
 * server does (two instances on one database, a connection held) skips itself on the
 * embedded database, so every such file goes to the first shard, where it runs; the rest
 * are dealt out by size, largest first, to the lightest shard (a file's bytes stand for
 * its tests' time; jest's own split hashes the paths, which left one lane with twice the
 * tests of the other).
 */
class ShardSequencer extends Sequencer {
  shard(tests, { shardIndex, shardCount }) {
    const size = new Map(tests.map((test) => [test.path, statSync(test.path).size]));
    const serverOnly = (test) => /\bonServer\(/.test(readFileSync(test.path, 'utf8'));
    const byPath = [...tests].sort((a, b) => a.path.localeCompare(b.path));
    const shards = Array.from({ length: shardCount }, () => ({ tests: [], load: 0 }));
    const place = (shard, test) => {
      shard.tests.push(test);
      shard.load += size.get(test.path);
    };
    for (const test of byPath.filter(serverOnly)) {
      place(shards[0], test);
    }
    const rest = byPath
      .filter((test) => !serverOnly(test))
      .sort((a, b) => size.get(b.path) - size.get(a.path));
    for (const test of rest) {
      place(
        shards.reduce((lightest, shard) => (shard.load < lightest.load ? shard : lightest)),
        test,
      );
    }
    return shards[shardIndex - 1].tests;
  }
}

module.exports = ShardSequencer;
