export { parseShard, type Shard, selectShard } from './shard.js';
