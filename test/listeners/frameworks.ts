// The real framework the listener tests run everywhere: an Express 5 app with its common middleware, and the
// routes that mount it, the plain listener and a fetch route side by side, as a user would put them together.
import cookieParser from "cookie-parser";
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import { fromNodeListener } from "../../adapters/node.ts";
import type { Handler } from "../../src/types.ts";
import { plainListener } from "./plain.ts";

// A Worker bundle's import.meta.url is no file URL, and a Worker has no files to serve.
const staticRoot = URL.canParse("static/", import.meta.url) ? new URL("static/", import.meta.url).pathname : "/none";

/** The Express app: body parsers, static files, cookies, redirects, an error handler and a streaming route. */
export function expressApp(): express.Express {
  const app = express();
  app.use(cookieParser("secret"));
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use("/static", express.static(staticRoot));
  app.get("/hello", (_req, res) => {
    res.send("hello from express");
  });
  app.get("/request", (req, res) => {
    res.json({
      url: req.url,
      originalUrl: req.originalUrl,
      path: req.path,
      query: req.query,
      ip: req.ip,
      protocol: req.protocol,
      hostname: req.hostname,
      cookies: req.cookies,
    });
  });
  app.post("/json", (req, res) => {
    res.status(201).json({ received: req.body });
  });
  app.post("/form", (req, res) => {
    res.json({ received: req.body });
  });
  app.get("/cookies", (_req, res) => {
    res.cookie("session", "abc", { httpOnly: true });
    res.cookie("signed", "yes", { signed: true });
    res.cookie("theme", "dark", { maxAge: 60_000 });
    res.send("cookies set");
  });
  app.get("/redirect", (_req, res) => {
    res.redirect(302, "hello");
  });
  app.get("/fail", () => {
    throw new Error("express route failed");
  });
  app.get("/events", (req, res) => {
    res.set({ "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      res.write(`data: ${sent++} ${Date.now()}\n\n`);
      if (sent === 3) {
        clearInterval(timer);
        res.end();
      }
    }, 200);
    req.once("close", () => clearInterval(timer));
  });
  // Express's error middleware: four arguments.
  app.use((error: Error, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    res.status(418).json({ handled: error.message });
  });
  return app;
}

/** Each listener under its prefix and a fetch route beside them: `mount` takes them as they are. */
export function listenerRoutes(): Record<string, Handler> {
  return {
    "/express": fromNodeListener(expressApp()),
    "/plain": fromNodeListener(plainListener),
    "/": (request, _env, ctx) => {
      const { pathname } = new URL(request.url);
      // What ctx says of the client, for comparing with what the listeners' req.socket says.
      if (pathname === "/ctx") return Response.json({ remoteAddress: ctx.remoteAddress ?? null });
      return new Response(`fetch route ${pathname}`);
    },
  };
}
