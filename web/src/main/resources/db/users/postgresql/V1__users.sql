-- Abuse staff who may log in to the web desk, on PostgreSQL. The password is kept only as a slow hash (bcrypt).
CREATE TABLE staff_account (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    role          VARCHAR(16)  NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
