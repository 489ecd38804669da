#!/usr/bin/env node
// The command runs the compiled build (made by `npm ci` through the prepare script).
import '../dist/main.js';
