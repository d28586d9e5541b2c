-- Photo files are shared by content: before a file is deleted (a refused report's, or one a
-- crash left behind), the rows that may point at it are looked up by key.
CREATE INDEX photos_thumb_key ON photos (thumb_key);
CREATE INDEX photos_display_key ON photos (display_key);
