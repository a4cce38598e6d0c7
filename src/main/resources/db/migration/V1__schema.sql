-- One schema for the embedded database (H2, MySQL mode) and MySQL/MariaDB in production.

CREATE TABLE products (
    sku              VARCHAR(64)   NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    price            DECIMAL(12,2) NOT NULL,
    stock            INT           NOT NULL,
    factory_id       VARCHAR(64)   NOT NULL,
    restock_quantity INT           NOT NULL,
    reorder_point    INT           NOT NULL DEFAULT 0,
    created_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (sku),
    CONSTRAINT ck_products_stock_never_negative CHECK (stock >= 0),
    CONSTRAINT ck_products_price CHECK (price >= 0),
    CONSTRAINT ck_products_restock_quantity CHECK (restock_quantity > 0),
    CONSTRAINT ck_products_reorder_point CHECK (reorder_point >= 0)
);

CREATE TABLE orders (
    id               VARCHAR(36)   NOT NULL,
    idempotency_key  VARCHAR(128)  NULL,
    sku              VARCHAR(64)   NOT NULL,
    quantity         INT           NOT NULL,
    remaining_stock  INT           NOT NULL,
    created_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT uq_orders_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT fk_orders_product FOREIGN KEY (sku) REFERENCES products (sku),
    CONSTRAINT ck_orders_quantity CHECK (quantity > 0)
);

-- The outbox: a row is written in the transaction that discovers the stock-out and is the
-- source of every SNS publish. open_sku is set while the request is not FULFILLED, so the
-- unique key allows one open request per product however many checkouts fail at once.
CREATE TABLE restock_requests (
    id               VARCHAR(36)   NOT NULL,
    sku              VARCHAR(64)   NOT NULL,
    factory_id       VARCHAR(64)   NOT NULL,
    quantity         INT           NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    attempts         INT           NOT NULL DEFAULT 0,
    last_error       VARCHAR(1000) NULL,
    factory_job_id   VARCHAR(128)  NULL,
    publish_attempts INT           NOT NULL DEFAULT 0,
    next_publish_at  TIMESTAMP(3)  NULL,
    created_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    open_sku         VARCHAR(64)   GENERATED ALWAYS AS (CASE WHEN status <> 'FULFILLED' THEN sku ELSE NULL END),
    PRIMARY KEY (id),
    CONSTRAINT uq_restock_requests_one_open_per_product UNIQUE (open_sku),
    CONSTRAINT fk_restock_requests_product FOREIGN KEY (sku) REFERENCES products (sku),
    CONSTRAINT ck_restock_requests_status CHECK (status IN ('REQUESTED', 'PUBLISHED', 'ORDERED', 'FULFILLED', 'FAILED')),
    CONSTRAINT ck_restock_requests_quantity CHECK (quantity > 0)
);

CREATE INDEX ix_restock_requests_status ON restock_requests (status, created_at);

-- Every change of stock, with why and what caused it (an order id, a restock request id).
CREATE TABLE stock_movements (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    sku              VARCHAR(64)   NOT NULL,
    delta            INT           NOT NULL,
    reason           VARCHAR(16)   NOT NULL,
    reference        VARCHAR(64)   NOT NULL,
    created_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT fk_stock_movements_product FOREIGN KEY (sku) REFERENCES products (sku),
    CONSTRAINT ck_stock_movements_reason CHECK (reason IN ('SALE', 'RESTOCK', 'ADJUSTMENT'))
);

CREATE INDEX ix_stock_movements_sku ON stock_movements (sku, created_at);
