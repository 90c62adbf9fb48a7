# rootgraph: `docker compose up` runs it beside Neo4j and Redis (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV ROOTGRAPH_HOST=0.0.0.0 ROOTGRAPH_DATA_DIR=/data
VOLUME /data
EXPOSE 8080 8081
ENTRYPOINT ["node", "bin/rootgraph.js"]
CMD ["serve"]
