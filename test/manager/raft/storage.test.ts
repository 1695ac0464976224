import { MemoryStorage } from '../../../packages/manager/src/raft/core/index.js';
import { storageCompliance } from './storage-compliance.js';

storageCompliance('MemoryStorage', { create: () => new MemoryStorage() });
