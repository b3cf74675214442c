// Runs before every Node-side test file: decorators' metadata and a fixed time zone.
import 'reflect-metadata';

process.env.TZ = 'UTC';
