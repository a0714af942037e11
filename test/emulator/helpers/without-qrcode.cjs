'use strict';
// Preloaded (`node -r`) by the test of an emulator without the optional package `qrcode`: from here on, `qrcode`
// cannot be resolved in this process, by require or by import, with the errors Node gives for a package that is not
// installed (MODULE_NOT_FOUND, ERR_MODULE_NOT_FOUND). Nothing else changes.
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'qrcode' || request.startsWith('qrcode/')) {
    const err = new Error(`Cannot find module '${request}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolveFilename.call(this, request, ...rest);
};

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'qrcode' || specifier.startsWith('qrcode/')) {
    const err = new Error("Cannot find package 'qrcode' imported from " + context.parentURL);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}`;
Module.register(`data:text/javascript,${encodeURIComponent(hook)}`);
