/**
 * Type-checks code blocks taken from markdown pages against the library's source, in one
 * TypeScript program: each block is its own ES module in which `"ai-failover"`,
 * `"ai-failover/testing"` and `"ai-failover/ai-sdk"` resolve to `src/`. A block may use, without
 * importing them, the names the page's prose takes as given: the library's exports, the SDKs'
 * classes and the declarations passed in `context` (each added only when the block uses the name
 * and does not declare it itself).
 */
import { resolve } from "node:path";
import ts from "typescript";

export interface Snippet {
  /** A unique name, e.g. `README.md#3`. */
  name: string;
  /** The code, as on the page. */
  code: string;
  /** The page it is on (for `pageContext`). */
  page: string;
}

const root = resolve(import.meta.dirname, "../..");
const entries: Record<string, string> = {
  "ai-failover": `${root}/src/index.js`,
  "ai-failover/testing": `${root}/src/testing/index.js`,
  "ai-failover/ai-sdk": `${root}/src/compat/ai-sdk/index.js`,
};

/** Names a page may use without importing them, and where each comes from. */
const packageImports: Record<string, string> = {
  OpenAI: 'import OpenAI from "openai";',
  AzureOpenAI: 'import { AzureOpenAI } from "openai";',
  Anthropic: 'import Anthropic from "@anthropic-ai/sdk";',
  Mistral: 'import { Mistral } from "@mistralai/mistralai";',
  z: 'import { z } from "zod";',
  generateText: 'import { generateText } from "ai";',
  streamText: 'import { streamText } from "ai";',
  convertToModelMessages: 'import { convertToModelMessages } from "ai";',
  tool: 'import { tool } from "ai";',
  APICallError: 'import { APICallError } from "ai";',
  UIMessage: 'import type { UIMessage } from "ai";',
  google: 'import { google } from "@ai-sdk/google";',
  http: 'import http from "node:http";',
  describe: 'import { describe } from "vitest";',
  it: 'import { it } from "vitest";',
  expect: 'import { expect } from "vitest";',
  beforeAll: 'import { beforeAll } from "vitest";',
  afterAll: 'import { afterAll } from "vitest";',
  beforeEach: 'import { beforeEach } from "vitest";',
  express: 'import express from "express";',
};

const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: ["node"],
};

/** Identifiers a block declares at its top level (imports, variables, functions, classes, types). */
const declaredNames = (code: string): Set<string> => {
  const source = ts.createSourceFile("block.mts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
};

/** Every name an entry point exports (values and types), read through the compiler. */
const exportsOf = (program: ts.Program, file: string): string[] => {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  return symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : [];
};

/**
 * The compiler's complaints about each snippet (empty when it type-checks), by snippet name.
 * `context`: declarations (`declare const messages: Message[];`) by the name they declare.
 */
export const compileSnippets = (
  snippets: readonly Snippet[],
  context: Readonly<Record<string, string>>,
  pageContext: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): Map<string, string[]> => {
  const host = ts.createCompilerHost(compilerOptions);
  const files = new Map<string, string>();
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, onError, create) => {
    const text = files.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, version, true, ts.ScriptKind.TS)
      : getSourceFile.call(host, name, version, onError, create);
  };
  // First the entry points alone, to learn what they export; the second program reuses them.
  const entryFiles = Object.values(entries).map((path) => path.replace(/\.js$/, ".ts"));
  const first = ts.createProgram({ rootNames: entryFiles, options: compilerOptions, host });
  const libraryImports: Record<string, string> = {};
  for (const [specifier, path] of Object.entries(entries)) {
    for (const name of exportsOf(first, path.replace(/\.js$/, ".ts")))
      libraryImports[name] ??= `import { ${name} } from "${specifier}";`;
  }
  const available = { ...packageImports, ...libraryImports, ...context };

  const modules = snippets.map((snippet, i) => {
    const declared = declaredNames(snippet.code);
    const prelude = Object.entries({ ...available, ...pageContext[snippet.page] })
      .filter(
        ([name]) => !declared.has(name) && new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(snippet.code),
      )
      .map(([, line]) => line)
      .join("\n");
    const code = `${prelude}\n${snippet.code}\nexport {};\n`.replace(
      /(from\s+|import\s*\(\s*)(["'])(ai-failover(?:\/testing|\/ai-sdk)?)\2/g,
      (_all, head: string, quote: string, entry: string) => `${head}${quote}${entries[entry]}${quote}`,
    );
    const file = `${root}/.doc-snippets/snippet-${i}.mts`;
    files.set(file, code);
    return { snippet, file, preludeLines: prelude === "" ? 1 : prelude.split("\n").length + 1 };
  });
  const program = ts.createProgram({
    rootNames: modules.map((m) => m.file),
    options: compilerOptions,
    host,
    oldProgram: first,
  });
  const out = new Map<string, string[]>();
  for (const { snippet, file, preludeLines } of modules) {
    const source = program.getSourceFile(file)!;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    out.set(
      snippet.name,
      diagnostics.map((d) => {
        const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1;
        return `line ${line - preludeLines + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      }),
    );
  }
  return out;
};
