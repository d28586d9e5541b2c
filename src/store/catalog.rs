//! Jurisdictions, departments, category groups, categories and routing rules.

use super::{corrupt, Store, StoreError};
use crate::domain::{
    AttributeDef, Category, CategoryCode, CategoryId, Department, DepartmentId, JurisdictionId,
    Localized, Sla, ZoneId,
};

/// One routing rule: a missing category or zone means "any".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingRuleRow {
    pub category: Option<CategoryId>,
    pub zone: Option<ZoneId>,
    pub department: DepartmentId,
}

/// Everything the intake needs to know about a jurisdiction besides its zones.
pub struct CatalogRows {
    /// The jurisdiction's time zone: its days begin at its own midnight.
    pub timezone: chrono_tz::Tz,
    pub categories: Vec<Category>,
    pub departments: Vec<Department>,
    pub rules: Vec<RoutingRuleRow>,
}

impl Store {
    /// Loads the time zone, the active categories, the departments and the routing rules of a
    /// jurisdiction.
    pub async fn load_catalog(
        &self,
        jurisdiction: &JurisdictionId,
    ) -> Result<CatalogRows, StoreError> {
        let categories = sqlx::query!(
            r#"SELECT c.id, c.code, c.icon, c.name_ro, c.name_hu, c.name_en,
                      c.description_ro, c.description_hu, c.description_en,
                      c.sla_acknowledge_hours, c.sla_resolve_hours, c.default_priority, c.attributes,
                      g.code AS group_code, g.name_ro AS group_ro, g.name_hu AS group_hu, g.name_en AS group_en
               FROM categories c JOIN category_groups g ON g.id = c.group_id
               WHERE c.jurisdiction_id = $1 AND c.active
               ORDER BY g.id, c.id"#,
            jurisdiction.as_str()
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Category {
                id: CategoryId(r.id),
                code: CategoryCode::parse(&r.code).ok_or_else(|| corrupt(format!("category code {:?}", r.code)))?,
                group_code: r.group_code,
                group_name: Localized { ro: r.group_ro, hu: r.group_hu, en: r.group_en },
                icon: r.icon,
                name: Localized { ro: r.name_ro, hu: r.name_hu, en: r.name_en },
                description: Localized { ro: r.description_ro, hu: r.description_hu, en: r.description_en },
                sla: Sla { acknowledge_hours: r.sla_acknowledge_hours, resolve_hours: r.sla_resolve_hours },
                default_priority: r.default_priority.parse().map_err(corrupt)?,
                attributes: serde_json::from_value::<Vec<AttributeDef>>(r.attributes).map_err(corrupt)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

        let departments = sqlx::query!(
            "SELECT id, code, name_ro, name_hu, name_en FROM departments WHERE jurisdiction_id = $1 ORDER BY code",
            jurisdiction.as_str()
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| Department {
            id: DepartmentId(r.id),
            code: r.code,
            name: Localized { ro: r.name_ro, hu: r.name_hu, en: r.name_en },
        })
        .collect();

        let rules = sqlx::query!(
            "SELECT category_id, zone_id, department_id FROM routing_rules WHERE jurisdiction_id = $1",
            jurisdiction.as_str()
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| RoutingRuleRow {
            category: r.category_id.map(CategoryId),
            zone: r.zone_id.map(ZoneId),
            department: DepartmentId(r.department_id),
        })
        .collect();

        let timezone = sqlx::query_scalar!(
            "SELECT timezone FROM jurisdictions WHERE id = $1",
            jurisdiction.as_str()
        )
        .fetch_one(&self.pool)
        .await?;
        let timezone = timezone.parse().map_err(|_| corrupt(&timezone))?;

        Ok(CatalogRows {
            timezone,
            categories,
            departments,
            rules,
        })
    }

    /// Whether a jurisdiction exists.
    pub async fn jurisdiction_exists(
        &self,
        jurisdiction: &JurisdictionId,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar!(
            "SELECT EXISTS (SELECT 1 FROM jurisdictions WHERE id = $1) AS \"exists!\"",
            jurisdiction.as_str()
        )
        .fetch_one(&self.pool)
        .await?)
    }
}

impl Store {
    /// Creates or updates a municipality's catalogue and zones in one transaction, then
    /// tells running services to reload. Rules are replaced as a whole; nothing is deleted
    /// that incidents refer to.
    pub async fn apply_municipality(
        &self,
        spec: &crate::domain::MunicipalitySpec,
        zones: &[super::ZoneImport],
    ) -> Result<(), StoreError> {
        let j = &spec.jurisdiction;
        let mut tx = self.pool.begin().await?;
        sqlx::query!(
            "INSERT INTO jurisdictions (id, name, timezone) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone",
            j.id,
            j.name,
            j.timezone
        )
        .execute(&mut *tx)
        .await?;
        for d in &spec.departments {
            sqlx::query!(
                "INSERT INTO departments (jurisdiction_id, code, name_ro, name_hu, name_en, email)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT ON CONSTRAINT departments_code_key DO UPDATE SET
                   name_ro = excluded.name_ro, name_hu = excluded.name_hu, name_en = excluded.name_en,
                   email = excluded.email",
                j.id,
                d.code,
                d.name.ro,
                d.name.hu,
                d.name.en,
                d.email
            )
            .execute(&mut *tx)
            .await?;
        }
        for g in &spec.category_groups {
            sqlx::query!(
                "INSERT INTO category_groups (jurisdiction_id, code, name_ro, name_hu, name_en)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT ON CONSTRAINT category_groups_code_key DO UPDATE SET
                   name_ro = excluded.name_ro, name_hu = excluded.name_hu, name_en = excluded.name_en",
                j.id,
                g.code,
                g.name.ro,
                g.name.hu,
                g.name.en
            )
            .execute(&mut *tx)
            .await?;
        }
        for c in &spec.categories {
            let attributes = serde_json::to_value(&c.attributes).map_err(corrupt)?;
            sqlx::query!(
                "INSERT INTO categories (jurisdiction_id, code, group_id, icon, name_ro, name_hu, name_en,
                   description_ro, description_hu, description_en, sla_acknowledge_hours, sla_resolve_hours,
                   default_priority, attributes)
                 VALUES ($1, $2, (SELECT id FROM category_groups WHERE jurisdiction_id = $1 AND code = $3),
                   $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT ON CONSTRAINT categories_code_key DO UPDATE SET
                   group_id = excluded.group_id, icon = excluded.icon, name_ro = excluded.name_ro,
                   name_hu = excluded.name_hu, name_en = excluded.name_en,
                   description_ro = excluded.description_ro, description_hu = excluded.description_hu,
                   description_en = excluded.description_en,
                   sla_acknowledge_hours = excluded.sla_acknowledge_hours,
                   sla_resolve_hours = excluded.sla_resolve_hours,
                   default_priority = excluded.default_priority, attributes = excluded.attributes, active = true",
                j.id,
                c.code,
                c.group,
                c.icon,
                c.name.ro,
                c.name.hu,
                c.name.en,
                c.description.ro,
                c.description.hu,
                c.description.en,
                c.sla.acknowledge_hours,
                c.sla.resolve_hours,
                c.default_priority.as_str(),
                attributes
            )
            .execute(&mut *tx)
            .await?;
        }
        super::zones::upsert_zones(&mut tx, &j.id, zones).await?;

        sqlx::query!("DELETE FROM routing_rules WHERE jurisdiction_id = $1", j.id)
            .execute(&mut *tx)
            .await?;
        let default_rule = crate::domain::RoutingRuleSpec {
            category: None,
            zone: None,
            department: spec.routing.default_department.clone(),
        };
        for rule in spec.routing.rules.iter().chain([&default_rule]) {
            let inserted = sqlx::query!(
                "INSERT INTO routing_rules (jurisdiction_id, category_id, zone_id, department_id)
                 SELECT $1,
                   (SELECT id FROM categories WHERE jurisdiction_id = $1 AND code = $2),
                   (SELECT id FROM zones WHERE jurisdiction_id = $1 AND code = $3),
                   (SELECT id FROM departments WHERE jurisdiction_id = $1 AND code = $4)
                 RETURNING category_id, zone_id, department_id",
                j.id,
                rule.category,
                rule.zone,
                rule.department
            )
            .fetch_one(&mut *tx)
            .await;
            // A rule naming a code that does not exist would silently widen to "any".
            let row = inserted.map_err(|e| corrupt(format!("routing rule {rule:?}: {e}")))?;
            if rule.category.is_some() && row.category_id.is_none()
                || rule.zone.is_some() && row.zone_id.is_none()
            {
                return Err(corrupt(format!(
                    "routing rule {rule:?} names an unknown category or zone"
                )));
            }
        }
        super::zones::notify_zones_changed(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
