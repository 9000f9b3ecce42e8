from odoo.tools import SQL, sql


def uninstall_hook(env):
    """Drop the materialized views of the composition analyses: Odoo drops the tables and the
    plain views of a module's models at uninstall, not its materialized views."""
    for model in env["credit.composition.report.mixin"]._composition_models():
        table = model._table
        if sql.table_kind(env.cr, table) == sql.TableKind.Materialized:
            env.cr.execute(SQL("DROP MATERIALIZED VIEW %s CASCADE", SQL.identifier(table)))
    # What init() makes outside the module's own tables, which Odoo does not know of: the
    # indexes on Odoo's tables (named <table>_credit_<what>_idx, e.g.
    # sale_order_credit_composition_idx; Odoo names the indexes of fields <table>__<field>_index)
    # and the trigger function of the access log; and the system parameters the module sets
    # without an external id.
    env.cr.execute(r"""
        SELECT indexname FROM pg_indexes
         WHERE schemaname = current_schema() AND indexname ~ '^[a-z_]+_credit_[a-z_]+_idx$'
           AND tablename IN ('res_partner', 'sale_order', 'sale_order_line', 'account_move', 'account_move_line')
    """)
    for (index,) in env.cr.fetchall():
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
    env.cr.execute("DROP FUNCTION IF EXISTS credit_file_access_log_protect() CASCADE")
    env["ir.config_parameter"].sudo().search([("key", "=like", "customer_credit_archive.%")]).unlink()
